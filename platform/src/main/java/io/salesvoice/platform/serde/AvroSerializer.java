package io.salesvoice.platform.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, registering their schemas in a registry that speaks the
 * Confluent REST API. Configured with Confluent's keys, so {@code io.confluent.kafka.serializers.KafkaAvroSerializer}
 * can take its place by configuration alone.
 */
public class AvroSerializer implements Serializer<Object> {

  private AvroSerdeConfig config;
  private SchemaRegistryClient registry;
  private boolean isKey;
  /** Writers resolve the schema once; building one per record costs more than encoding a 20 ms audio chunk. */
  private final java.util.Map<Schema, DatumWriter<Object>> writers = new java.util.concurrent.ConcurrentHashMap<>();

  public AvroSerializer() {
  }

  /** For tests and tools that share one registry client. */
  public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs) {
    this.registry = registry;
    configure(configs, false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.from(configs, isKey);
    this.isKey = isKey;
    if (registry == null) {
      registry = config.newClient();
    }
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    if (!(data instanceof GenericContainer record)) {
      throw new SerializationException("cannot write a " + data.getClass().getName() + " to " + topic
          + ": this serializer writes Avro records (generated classes or GenericRecord)");
    }
    Schema schema = record.getSchema();
    String subject = config.subjectNames().subject(topic, schema, isKey);
    int id;
    try {
      id = config.autoRegister() ? registry.register(subject, schema) : registry.lookUp(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("cannot write " + schema.getFullName() + " to " + topic + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.write(WireFormat.MAGIC_BYTE);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writers.computeIfAbsent(schema, sc -> writerFor(record, sc)).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      // Not retriable: the record does not fit its own schema (e.g. a required field left null).
      throw new SerializationException("cannot encode " + schema.getFullName() + " for " + topic + ": " + e, null);
    }
    return out.toByteArray();
  }

  private static DatumWriter<Object> writerFor(GenericContainer record, Schema schema) {
    if (record instanceof SpecificRecord) {
      return new SpecificDatumWriter<>(schema, GeneratedModels.of(record.getClass()));
    }
    return new GenericDatumWriter<>(schema);
  }
}
