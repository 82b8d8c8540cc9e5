package io.salesvoice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.salesvoice.platform.serde.AvroDeserializer;
import io.salesvoice.platform.serde.AvroSerializer;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.transcript.Transcript;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the Confluent-wire Avro serde per record on the hottest topic (20 ms audio chunks) and on transcripts.
 * Schema ids are cached after the first record, so a minimal Confluent-REST registry answers the few set-up calls and
 * the measured path never leaves the JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AvroSerdeBenchmark {

  private HttpServer registry;
  private AvroSerializer serializer;
  private AvroDeserializer deserializer;
  private AudioChunk chunk;
  private Transcript transcript;
  private byte[] chunkBytes;
  private byte[] transcriptBytes;

  @Setup
  public void setUp() throws IOException {
    registry = startRegistry();
    Map<String, Object> config = Map.of("schema.registry.url", "http://127.0.0.1:" + registry.getAddress().getPort(),
        "specific.avro.reader", "true");
    serializer = new AvroSerializer();
    serializer.configure(config, false);
    deserializer = new AvroDeserializer();
    deserializer.configure(config, false);
    chunk = AudioChunk.newBuilder().setCallId("call-0001").setSeq(4711).setChannel(Channel.CUSTOMER)
        .setCodec(AudioCodec.MULAW).setSampleRate(8000).setMediaTimeMs(94_220).setDurationMs(20)
        .setData(ByteBuffer.wrap(new byte[160])).setProducedAt(Instant.now()).build();
    transcript = Transcript.newBuilder().setCallId("call-0001").setUtteranceId("call-0001-u7")
        .setText("Да, давайте созвонимся завтра в три часа").setIsFinal(true).setLanguage("ru-RU")
        .setConfidence(0.87f).setStartMs(90_000).setEndMs(94_200).setEngine("sphinx4")
        .setProducedAt(Instant.now()).build();
    chunkBytes = serializer.serialize("sva.audio.in", chunk);
    transcriptBytes = serializer.serialize("sva.transcripts", transcript);
  }

  @TearDown
  public void tearDown() {
    registry.stop(0);
  }

  @Benchmark
  public byte[] serializeAudioChunk() {
    return serializer.serialize("sva.audio.in", chunk);
  }

  @Benchmark
  public Object deserializeAudioChunk() {
    return deserializer.deserialize("sva.audio.in", chunkBytes);
  }

  @Benchmark
  public byte[] serializeTranscript() {
    return serializer.serialize("sva.transcripts", transcript);
  }

  @Benchmark
  public Object deserializeTranscript() {
    return deserializer.deserialize("sva.transcripts", transcriptBytes);
  }

  /** Answers register (POST /subjects/{s}/versions) and fetch (GET /schemas/ids/{id}) as the Confluent API does. */
  private static HttpServer startRegistry() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> schemas = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String body;
      if (exchange.getRequestMethod().equals("POST") && path.endsWith("/versions")) {
        String schema = json.readTree(exchange.getRequestBody()).path("schema").asText();
        if (!schemas.contains(schema)) {
          schemas.add(schema);
        }
        body = "{\"id\":" + (schemas.indexOf(schema) + 1) + "}";
      } else if (path.startsWith("/schemas/ids/")) {
        int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
        body = json.createObjectNode().put("schema", schemas.get(id - 1)).toString();
      } else {
        body = "{\"error_code\":404,\"message\":\"not found\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(body.startsWith("{\"error") ? 404 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return server;
  }
}
