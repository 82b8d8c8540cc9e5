package io.salesvoice.platform.stack;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.serde.AvroSerializer;
import io.salesvoice.schema.deadletter.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Poison records for a topic, so every consumer's test proves the same thing the same way: a value that is not what
 * the topic promises (unknown schema id, another schema's id, truncated Avro, wrong magic byte, empty, tombstone,
 * random bytes, a key that disagrees with the value, a record near the broker's size limit, an absurd declared
 * length) is rejected with a reason and the consumer goes on. Seeded random mutations of a valid value add the
 * cases nobody thought of. For tests and benchmarks, never for production paths.
 */
public final class PoisonRecords implements AutoCloseable {

  /** System property: how many random mutations a suite tries per topic (small in CI, large for the benchmark). */
  public static final String MUTATIONS_PROPERTY = "sva.badinput.mutations";
  /** System property: the seed of the random mutations, to replay a failure. */
  public static final String SEED_PROPERTY = "sva.badinput.seed";

  /** Larger than any value a producer with the default {@code max.request.size} (1 MiB) lets through. */
  static final int HUGE_VALUE_BYTES = 1_048_576 - 256;

  /** What is wrong with a poison record. */
  public enum Shape {
    UNKNOWN_SCHEMA_ID, OTHER_SCHEMA, TRUNCATED_AVRO, WRONG_MAGIC_BYTE, EMPTY_VALUE, NULL_VALUE, RANDOM_BYTES,
    WRONG_KEY, HUGE_RECORD, HUGE_DECLARED_LENGTH, MUTATED
  }

  /**
   * One poison record.
   *
   * @param mustBeRejected false only for random mutations, which may still be a valid value and be processed
   * @param reasonHint     text a dead letter's reason must contain, or null when any non-empty reason will do
   */
  public record Poison(Shape shape, String key, byte[] value, boolean mustBeRejected, String reasonHint) {
    @Override
    public String toString() {
      return shape + "(key=" + key + ", " + (value == null ? "null" : value.length + " bytes") + ")";
    }
  }

  private final AvroSerializer serializer = new AvroSerializer();

  public PoisonRecords(KafkaSettings settings) {
    serializer.configure(settings.serdeConfig(), false);
  }

  /** How many random mutations to try: {@value #MUTATIONS_PROPERTY}, else {@code defaultCount}. */
  public static int mutationCount(int defaultCount) {
    return Integer.getInteger(MUTATIONS_PROPERTY, defaultCount);
  }

  /** The seed of the random mutations: {@value #SEED_PROPERTY}, else a fixed one. */
  public static long seed() {
    return Long.getLong(SEED_PROPERTY, 20261125L);
  }

  /** {@code value} in the wire format of {@code topic}, registering its schema if needed. */
  public byte[] serialize(String topic, Object value) {
    return serializer.serialize(topic, value);
  }

  /**
   * One poison of every shape for {@code topic}, keyed {@code key} (except {@link Shape#WRONG_KEY}); {@code valid} is a
   * value the topic's consumer would accept with that key.
   */
  public List<Poison> structured(String topic, String key, Object valid, long seed) {
    Random random = new Random(seed);
    byte[] good = serialize(topic, valid);
    int id = ByteBuffer.wrap(good, 1, 4).getInt();
    List<Poison> out = new ArrayList<>();
    out.add(new Poison(Shape.UNKNOWN_SCHEMA_ID, key, withSchemaId(good, Integer.MAX_VALUE - random.nextInt(1000)),
        true, "unknown schema id"));
    out.add(new Poison(Shape.OTHER_SCHEMA, key, serialize(topic + ".poison-other", otherSchema(topic, key)), true,
        DeadLetter.class.getSimpleName()));
    out.add(new Poison(Shape.TRUNCATED_AVRO, key, Arrays.copyOf(good, 5 + (good.length - 5) / 2), true,
        "cannot be decoded"));
    byte[] magic = good.clone();
    magic[0] = (byte) (1 + random.nextInt(255));
    out.add(new Poison(Shape.WRONG_MAGIC_BYTE, key, magic, true, "magic byte"));
    out.add(new Poison(Shape.EMPTY_VALUE, key, new byte[0], true, "at least 5 bytes"));
    out.add(new Poison(Shape.NULL_VALUE, key, null, true, "no value"));
    byte[] noise = new byte[1 + random.nextInt(256)];
    random.nextBytes(noise);
    out.add(new Poison(Shape.RANDOM_BYTES, key, noise, true, null));
    out.add(new Poison(Shape.WRONG_KEY, "not-" + key, good, true, "is not the value's call id"));
    byte[] huge = new byte[HUGE_VALUE_BYTES];
    random.nextBytes(huge);
    System.arraycopy(good, 0, huge, 0, 5);
    out.add(new Poison(Shape.HUGE_RECORD, key, huge, true, null));
    out.add(new Poison(Shape.HUGE_DECLARED_LENGTH, key, declaringHugeLength(id), true, "cannot be decoded"));
    return out;
  }

  /**
   * {@code count} seeded random mutations of {@code valid}'s bytes: flipped bytes, cuts, appended garbage, absurd
   * lengths spliced in, a random body behind a valid header. Some still decode; those may be processed.
   */
  public List<Poison> mutations(String topic, String key, Object valid, long seed, int count) {
    Random random = new Random(seed);
    byte[] good = serialize(topic, valid);
    List<Poison> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Poison(Shape.MUTATED, key, mutate(good, random), false, null));
    }
    return out;
  }

  static byte[] mutate(byte[] good, Random random) {
    byte[] b = good.clone();
    switch (random.nextInt(6)) {
      case 0 -> {   // flip a few bytes of the body
        for (int n = 1 + random.nextInt(4); n > 0 && b.length > 5; n--) {
          b[5 + random.nextInt(b.length - 5)] ^= (byte) (1 + random.nextInt(255));
        }
        return b;
      }
      case 1 -> {   // cut anywhere after the header
        return Arrays.copyOf(b, 5 + random.nextInt(Math.max(1, b.length - 5)));
      }
      case 2 -> {   // garbage after the record
        byte[] tail = new byte[1 + random.nextInt(64)];
        random.nextBytes(tail);
        byte[] c = Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, c, b.length, tail.length);
        return c;
      }
      case 3 -> {   // an absurd length or count spliced in where a field starts
        int at = 5 + random.nextInt(Math.max(1, b.length - 5));
        byte[] varint = zigZagVarint(random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(16)
            : -(1 + random.nextInt(Integer.MAX_VALUE)));
        byte[] c = new byte[b.length + varint.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(varint, 0, c, at, varint.length);
        System.arraycopy(b, at, c, at + varint.length, b.length - at);
        return c;
      }
      case 4 -> {   // a random body of the right schema id
        byte[] c = new byte[5 + random.nextInt(Math.max(2, b.length * 2))];
        random.nextBytes(c);
        System.arraycopy(b, 0, c, 0, 5);
        return c;
      }
      default -> {   // a neighbouring schema id
        return withSchemaId(b, ByteBuffer.wrap(b, 1, 4).getInt() + 1 + random.nextInt(8));
      }
    }
  }

  private static byte[] withSchemaId(byte[] good, int id) {
    byte[] b = good.clone();
    ByteBuffer.wrap(b, 1, 4).putInt(id);
    return b;
  }

  /** A header of schema {@code id}, then a first field that declares 2^31-1 bytes (or items) and has ten. */
  private static byte[] declaringHugeLength(int id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    out.writeBytes(zigZagVarint(Integer.MAX_VALUE));
    out.writeBytes(new byte[10]);
    return out.toByteArray();
  }

  static byte[] zigZagVarint(int n) {
    long v = ((long) n << 1) ^ (n >> 31);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  /** A record of a schema no pipeline stage consumes: the registry knows its id, but it is not the topic's. */
  private static DeadLetter otherSchema(String topic, String key) {
    return DeadLetter.newBuilder().setSourceTopic(topic).setPartition(0).setOffset(0).setKey(key)
        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).setHeaders(Map.of()).setStage("poison")
        .setReason("a record of another schema").setFailedAt(Instant.now()).build();
  }

  @Override
  public void close() {
    serializer.close();
  }
}
