package io.salesvoice.simulators.qa;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The drain against the real in-process broker: committed offsets of two groups, and stt-worker's gauge over HTTP. */
@ExtendWith(LocalStackExtension.class)
class KafkaDrainTest {

  private final KafkaStack stack;
  private StackClients clients;
  private Admin admin;
  private HttpServer metrics;
  private final AtomicReference<String> activeCalls = new AtomicReference<>("1.0");
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String audio = "qa-audio-" + id;
  private final String calls = "qa-calls-" + id;
  private final String transcripts = "qa-transcripts-" + id;

  KafkaDrainTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void setUp() throws Exception {
    clients = new StackClients(stack);
    clients.createTopics(3, audio, calls, transcripts);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    admin = Admin.create(p);
    metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metrics.createContext("/actuator/prometheus", x -> {
      byte[] body = ("# TYPE sva_stt_calls_active gauge\nsva_stt_calls_active{application=\"stt-worker\"} "
          + activeCalls.get() + "\nsva_stt_calls_speaking{application=\"stt-worker\"} 0.0\n")
          .getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    metrics.start();
  }

  @AfterEach
  void tearDown() {
    metrics.stop(0);
    admin.close();
    clients.close();
  }

  private KafkaDrain drain(Duration sttFlush, boolean gauge) {
    URI uri = gauge ? URI.create("http://127.0.0.1:" + metrics.getAddress().getPort() + "/actuator/prometheus")
        : null;
    return new KafkaDrain(stack.bootstrapServers(), new KafkaDrain.Groups(audio, calls, transcripts, "stt-" + id,
        "analytics-" + id, sttFlush, uri));
  }

  /** Commits, for {@code group}, the end of every partition of {@code topics}: the group has read everything. */
  private void readEverything(String group, String... topics) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (String t : topics) {
      for (int p = 0; p < 3; p++) {
        request.put(new TopicPartition(t, p), OffsetSpec.latest());
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
    admin.alterConsumerGroupOffsets(group, offsets).all().get();
  }

  @Test
  void theReplaysAreDrainedOnceSttHasReadThemAndLetGoOfTheCallsAndAnalyticsHasReadWhatSttWrote() throws Exception {
    // old data nobody reads: it must not hold the wait up
    clients.sendRaw(audio, "old-call", new byte[] {1});
    clients.sendRaw(audio, "old-call", new byte[] {2});
    try (KafkaDrain drain = drain(Duration.ofMinutes(5), true)) {
      drain.begin();
      for (int i = 0; i < 3; i++) {
        clients.sendRaw(audio, "call-1", new byte[] {(byte) i});
      }
      clients.sendRaw(calls, "call-1", new byte[] {9});
      drain.mark();

      assertThat(drain.pending()).isEqualTo("stt-" + id + " has 4 replayed record(s) to transcribe");
      clients.sendRaw(transcripts, "call-1", new byte[] {1});
      readEverything("stt-" + id, audio, calls);
      // stt-worker still holds the call: its last words may come from its idle sweep
      assertThat(drain.pending()).matches("\\d+ s more for stt-" + id + "'s idle sweep to flush the calls' last words");

      clients.sendRaw(transcripts, "call-1", new byte[] {2});   // the sweep's final
      activeCalls.set("0.0");
      assertThat(drain.pending()).isEqualTo("analytics-" + id + " has 3 record(s) of the replays to read");
      readEverything("analytics-" + id, transcripts);
      assertThat(drain.pending()).isEqualTo("analytics-" + id + " has 1 record(s) of the replays to read");
      readEverything("analytics-" + id, transcripts, calls);
      assertThat(drain.pending()).isNull();
    }
  }

  @Test
  void withoutSttsGaugeTheIdleSweepsWindowDecides() throws Exception {
    try (KafkaDrain drain = drain(Duration.ofMillis(300), false)) {
      drain.begin();
      clients.sendRaw(audio, "call-2", new byte[] {1});
      drain.mark();
      readEverything("stt-" + id, audio, calls);
      assertThat(drain.pending()).contains("idle sweep");
      Thread.sleep(400);
      assertThat(drain.pending()).isNull();   // nothing reached sva.transcripts or sva.calls: nothing for analytics
    }
  }

  @Test
  void nothingWrittenMeansNothingToWaitFor() throws Exception {
    try (KafkaDrain drain = drain(Duration.ZERO, true)) {
      drain.begin();
      drain.mark();
      assertThat(drain.pending()).isNull();
    }
  }
}
