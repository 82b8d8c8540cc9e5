package io.salesvoice.platform.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in the Confluent wire format, fetching each writer schema once from the registry by its id.
 * With {@code specific.avro.reader=true} it returns the generated class of the record, resolved against the
 * writer's schema, so older and newer producers can be read. Failures say exactly what is wrong with the bytes;
 * only an unreachable registry surfaces with an {@link java.io.IOException} cause, so callers can retry it.
 */
public class AvroDeserializer implements Deserializer<Object> {

  private AvroSerdeConfig config;
  private SchemaRegistryClient registry;
  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  public AvroDeserializer() {
  }

  /** For tests and tools that share one registry client. */
  public AvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs) {
    this.registry = registry;
    configure(configs, false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.from(configs, isKey);
    if (registry == null) {
      registry = config.newClient();
    }
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new SerializationException("a value in the Confluent wire format has at least " + WireFormat.HEADER_SIZE
          + " bytes (magic byte 0 and a 4-byte schema id); this one has " + data.length);
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new SerializationException(String.format("unknown magic byte 0x%02x: the value is not in the Confluent "
          + "wire format, which starts with 0x00", data[0]));
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    DatumReader<Object> reader;
    try {
      reader = readers.computeIfAbsent(id, this::readerFor);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND || e.status() == 404) {
        throw new SerializationException("unknown schema id " + id + ": the registry has no such schema", null);
      }
      throw new SerializationException("cannot read schema id " + id + " of a value on " + topic + ": "
          + e.getMessage(), e);
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
        data.length - WireFormat.HEADER_SIZE, null);
    Object value;
    try {
      value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException("bytes are left after the record: the body was not written with schema id " + id);
      }
    } catch (SerializationException e) {
      throw e;
    } catch (Exception e) {
      // No cause on purpose: a truncated body raises EOFException, which is not a reason to retry.
      throw new SerializationException("the Avro body of schema id " + id + " cannot be decoded: " + e, null);
    }
    return value;
  }

  private DatumReader<Object> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    if (config.specificReader()) {
      Class<?> generated = SpecificData.get().getClass(writer);
      if (generated != null) {
        SpecificData data = GeneratedModels.of(generated);
        return new SpecificDatumReader<>(writer, data.getSchema(generated), data);
      }
    }
    return new GenericDatumReader<>(writer);
  }
}
