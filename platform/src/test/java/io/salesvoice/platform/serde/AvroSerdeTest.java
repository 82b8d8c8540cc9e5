package io.salesvoice.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.schema.analytics.StageLatency;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.transcript.Transcript;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class AvroSerdeTest {

  private Map<String, Object> config;
  private AvroSerializer serializer;
  private AvroDeserializer deserializer;
  private String topic;

  @BeforeEach
  void setUp(KafkaStack stack) {
    config = Map.of("schema.registry.url", stack.schemaRegistryUrl(), "specific.avro.reader", "true");
    serializer = new AvroSerializer();
    serializer.configure(config, false);
    deserializer = new AvroDeserializer();
    deserializer.configure(config, false);
    topic = "serde-" + UUID.randomUUID();
  }

  @Test
  void aGeneratedRecordWithAUnionEventRoundTripsThroughTheRegistry() {
    CallEvent started = callStarted("call-1");

    byte[] bytes = serializer.serialize(topic, started);

    assertThat(bytes[0]).isZero();
    assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(started);
    CallEvent ended = CallEvent.newBuilder(started).setEventId("e2")
        .setEvent(CallEnded.newBuilder().setReason(CallEndReason.CUSTOMER_HANGUP).setDurationMs(4200).build()).build();
    assertThat(deserializer.deserialize(topic, serializer.serialize(topic, ended))).isEqualTo(ended);
  }

  @Test
  void theSchemaIsRegisteredOnceUnderTheTopicSubjectAndItsIdIsOnTheWire(KafkaStack stack) {
    byte[] first = serializer.serialize(topic, transcript("c1", "hello"));
    byte[] second = new AvroSerializer(new SchemaRegistryClient(stack.schemaRegistryUrl(), null, java.time.Duration.ofSeconds(5)), config)
        .serialize(topic, transcript("c2", "again"));

    int id = ByteBuffer.wrap(first, 1, 4).getInt();
    assertThat(ByteBuffer.wrap(second, 1, 4).getInt()).isEqualTo(id);
    SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl(), null, java.time.Duration.ofSeconds(5));
    Map.Entry<Integer, Schema> latest = registry.latest(topic + "-value");
    assertThat(latest.getKey()).isEqualTo(id);
    assertThat(latest.getValue().getFullName()).isEqualTo(Transcript.getClassSchema().getFullName());
  }

  @Test
  void aRecordWithGeneratedCodersIsWrittenAsAvroWritesItAndReadBackFromAnotherFieldOrder() throws IOException {
    StageLatency latency = StageLatency.newBuilder().setStage("speechEndToTranscript").setEngine("sphinx4")
        .setCount(12).setP50Ms(140).setP90Ms(180).setP99Ms(420).build();

    byte[] bytes = serializer.serialize(topic, latency);

    assertThat(GeneratedModels.of(StageLatency.class).useCustomCoders()).isTrue();
    assertThat(GeneratedModels.of(Transcript.class)).isSameAs(SpecificData.getForClass(Transcript.class));
    // Avro's reflective writer (generated coders off, its default) gives the same body after the 5-byte header.
    ByteArrayOutputStream reflective = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(reflective, null);
    new SpecificDatumWriter<StageLatency>(StageLatency.class).write(latency, encoder);
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(reflective.toByteArray());
    assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(latency);

    // A writer with the fields in another order: the generated decoder must resolve it, not read it positionally.
    Schema reordered = SchemaBuilder.record("StageLatency").namespace("io.salesvoice.schema.analytics").fields()
        .requiredLong("p99Ms").requiredLong("count").requiredString("engine").requiredString("stage")
        .requiredLong("p90Ms").requiredLong("p50Ms").endRecord();
    GenericRecord other = new GenericData.Record(reordered);
    other.put("p99Ms", 420L);
    other.put("count", 12L);
    other.put("engine", "sphinx4");
    other.put("stage", "speechEndToTranscript");
    other.put("p90Ms", 180L);
    other.put("p50Ms", 140L);
    assertThat(deserializer.deserialize(topic, serializer.serialize(topic, other))).isEqualTo(latency);
  }

  @Test
  void aRecordWrittenWithAnOlderSchemaIsReadIntoTheCurrentClassWithDefaults() {
    // An older producer whose Transcript had neither channel nor speechEndedAt.
    Schema older = SchemaBuilder.record("Transcript").namespace("io.salesvoice.schema.transcript").fields()
        .requiredString("callId").requiredString("utteranceId").requiredString("text").requiredBoolean("isFinal")
        .requiredString("language").requiredFloat("confidence").requiredLong("startMs").requiredLong("endMs")
        .requiredString("engine").name("producedAt").type(SchemaBuilder.builder().longType()).noDefault()
        .endRecord();
    GenericRecord old = new GenericData.Record(older);
    old.put("callId", "c-old");
    old.put("utteranceId", "u1");
    old.put("text", "written long ago");
    old.put("isFinal", true);
    old.put("language", "ru-RU");
    old.put("confidence", 0.5f);
    old.put("startMs", 1L);
    old.put("endMs", 2L);
    old.put("engine", "vosk");
    old.put("producedAt", 1_700_000_000_000L);

    Object read = deserializer.deserialize(topic, serializer.serialize(topic, old));

    assertThat(read).isInstanceOf(Transcript.class);
    Transcript t = (Transcript) read;
    assertThat(t.getText()).isEqualTo("written long ago");
    assertThat(t.getChannel().name()).isEqualTo("CUSTOMER");
    assertThat(t.getSpeechEndedAt()).isNull();
  }

  @Test
  void withoutSpecificReaderTheValueIsAGenericRecord(KafkaStack stack) {
    AvroDeserializer generic = new AvroDeserializer();
    generic.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);

    Object read = generic.deserialize(topic, serializer.serialize(topic, transcript("c1", "generic")));

    assertThat(read).isInstanceOf(GenericRecord.class);
    assertThat(((GenericRecord) read).get("text").toString()).isEqualTo("generic");
  }

  @Test
  void anIncompatibleSchemaIsRefusedByTheRegistryWithItsReason() {
    serializer.serialize(topic, transcript("c1", "v1"));
    Schema incompatible = SchemaBuilder.record("Transcript").namespace("io.salesvoice.schema.transcript").fields()
        .requiredString("callId").requiredInt("mandatoryNewField").endRecord();
    GenericRecord record = new GenericData.Record(incompatible);
    record.put("callId", "c1");
    record.put("mandatoryNewField", 1);

    assertThatThrownBy(() -> serializer.serialize(topic, record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(topic + "-value")
        .hasMessageContaining("409")
        .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SchemaRegistryException.class))
        .satisfies(e -> assertThat(((SchemaRegistryException) e.getCause()).retriable()).isFalse());
  }

  @Test
  void producersRegisteringTheSameNewSchemaAtOnceAllGetItsId(KafkaStack stack) throws Exception {
    int producers = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(producers);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> ids = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < producers; i++) {
        ids.add(pool.submit(() -> {
          AvroSerializer own = new AvroSerializer();
          own.configure(config, false);
          go.await();
          return ByteBuffer.wrap(own.serialize(topic, callStarted("c-race")), 1, 4).getInt();
        }));
      }
      go.countDown();
      java.util.Set<Integer> distinct = new java.util.HashSet<>();
      for (var id : ids) {
        distinct.add(id.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void garbageShortAndUnknownSchemaValuesFailWithTheirReason() {
    assertThatThrownBy(() -> deserializer.deserialize(topic, "not avro at all".getBytes()))
        .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 0x6e");
    assertThatThrownBy(() -> deserializer.deserialize(topic, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("has 3");
    assertThatThrownBy(() -> deserializer.deserialize(topic, new byte[] {0, 0x7f, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("unknown schema id 2130706433")
        .hasNoCause();
  }

  @Test
  void aTruncatedOrPaddedBodyIsRejectedAndNotMistakenForAnOutage() {
    byte[] good = serializer.serialize(topic, transcript("c1", "a long enough text to cut"));
    byte[] truncated = Arrays.copyOf(good, good.length - 10);
    byte[] padded = Arrays.copyOf(good, good.length + 3);

    assertThatThrownBy(() -> deserializer.deserialize(topic, truncated))
        .isInstanceOf(SerializationException.class).hasMessageContaining("cannot be decoded").hasNoCause();
    assertThatThrownBy(() -> deserializer.deserialize(topic, padded))
        .isInstanceOf(SerializationException.class).hasMessageContaining("bytes are left");
  }

  @Test
  void anUnreachableRegistryIsReportedAsRetriableWithoutTheCredentials() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    AvroSerializer offline = new AvroSerializer();
    offline.configure(Map.of("schema.registry.url", "http://alice:s3cret@127.0.0.1:" + closedPort), false);

    assertThatThrownBy(() -> offline.serialize(topic, transcript("c1", "x")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unreachable")
        .hasMessageNotContaining("s3cret")
        .satisfies(e -> assertThat(e.getCause().getCause()).isInstanceOf(java.net.ConnectException.class))
        .satisfies(e -> assertThat(((SchemaRegistryException) e.getCause()).retriable()).isTrue());
  }

  @Test
  void configurationMistakesAreExplained() {
    assertThatThrownBy(() -> new AvroSerializer().configure(Map.of(), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> new AvroSerializer().configure(Map.of("schema.registry.url", "http://x",
        "value.subject.name.strategy", "com.example.MyStrategy"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("com.example.MyStrategy");
    assertThatThrownBy(() -> serializer.serialize(topic, "a plain string"))
        .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.String");
  }

  @Test
  void recordNameStrategyRegistersUnderTheRecordsFullName(KafkaStack stack) {
    AvroSerializer byRecord = new AvroSerializer();
    byRecord.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl(),
        "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);

    byte[] bytes = byRecord.serialize(topic, callStarted("c9"));

    SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl(), null, java.time.Duration.ofSeconds(5));
    assertThat(registry.latest("io.salesvoice.schema.call.CallEvent").getKey()).isEqualTo(ByteBuffer.wrap(bytes, 1, 4).getInt());
  }

  static CallEvent callStarted(String callId) {
    return CallEvent.newBuilder().setCallId(callId).setEventId("e1").setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setCampaignId("spring-sale")
        .setEvent(CallStarted.newBuilder().setDirection(CallDirection.OUTBOUND).setProvider("twilio")
            .setPhoneNumber("+79990001122").setLanguage("ru-RU").setCodec(AudioCodec.MULAW).setSampleRate(8000)
            .setGatewayInstance("ingest-0").setReplyPartition(3).setParameters(Map.of("leadName", "Анна")).build())
        .build();
  }

  static Transcript transcript(String callId, String text) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(callId + "-u1").setText(text).setIsFinal(true)
        .setLanguage("en-US").setConfidence(0.9f).setStartMs(0).setEndMs(1200).setEngine("test")
        .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();
  }
}
