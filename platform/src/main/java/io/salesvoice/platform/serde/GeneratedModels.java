package io.salesvoice.platform.serde;

import org.apache.avro.specific.SpecificData;

/**
 * The Avro model a generated class is written and read with. A class without logical types inside has Avro's
 * generated coders ({@code customEncode}/{@code customDecode}), which Avro leaves off unless asked: with them on, the
 * same bytes are written and read without the reflective walk over every field, several times faster for large
 * records such as analytics' call state. Classes with logical types keep their own model and its conversions.
 */
final class GeneratedModels {

  private static final ClassValue<SpecificData> MODELS = new ClassValue<>() {
    @Override
    protected SpecificData computeValue(Class<?> type) {
      SpecificData own = SpecificData.getForClass(type);
      if (!own.getConversions().isEmpty()) {
        return own;
      }
      SpecificData coded = new SpecificData(type.getClassLoader());
      coded.setCustomCoders(true);
      return coded;
    }
  };

  private GeneratedModels() {
  }

  static SpecificData of(Class<?> generated) {
    return MODELS.get(generated);
  }
}
