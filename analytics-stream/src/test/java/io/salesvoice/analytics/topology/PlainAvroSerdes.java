package io.salesvoice.analytics.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Avro binary without a registry, for TopologyTestDriver tests: the topology's logic is under test there, the
 * Confluent wire format is covered by the real-broker test and platform's serde tests.
 */
public final class PlainAvroSerdes implements AnalyticsSerdes {

  @Override
  public <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
    SpecificData data = SpecificData.getForClass(type);
    org.apache.avro.Schema schema = data.getSchema(type);
    SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema, data);
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, data);
    return Serdes.serdeFrom((topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new SerializationException(e);
      }
    }, (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        var decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        T value = reader.read(null, decoder);
        if (!decoder.isEnd()) {
          throw new SerializationException("trailing bytes after a " + type.getSimpleName());
        }
        return value;
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not a " + type.getSimpleName() + ": " + e, null);
      }
    });
  }
}
