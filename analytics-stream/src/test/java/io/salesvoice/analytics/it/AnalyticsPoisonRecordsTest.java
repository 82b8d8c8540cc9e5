package io.salesvoice.analytics.it;

import static io.salesvoice.analytics.Records.agentAudio;
import static io.salesvoice.analytics.Records.answered;
import static io.salesvoice.analytics.Records.crm;
import static io.salesvoice.analytics.Records.ended;
import static io.salesvoice.analytics.Records.said;
import static io.salesvoice.analytics.Records.say;
import static io.salesvoice.analytics.Records.started;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.analytics.topology.SkippedRecords;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.crm.CrmStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison records on every topic the Kafka Streams application reads, against a real instance on the real broker and
 * registry: each is skipped and counted in {@code sva.analytics.records.skipped} (the topology's deserialization and
 * processing handlers, a tombstone or a key that is not the value's call id included), the application stays
 * RUNNING and a call after the poison is in the views.
 */
@ExtendWith(LocalStackExtension.class)
class AnalyticsPoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private final KafkaStack stack;

  AnalyticsPoisonRecordsTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void poisonOnEveryConsumedTopicIsSkippedAndCountedAndTheViewsGoOn() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Metrics.addRegistry(meters);
    String run = UUID.randomUUID().toString().substring(0, 8);
    BadInputReport report = new BadInputReport("analytics-stream-poison",
        "poison records on sva.calls, sva.transcripts, sva.dialog.turns, sva.crm.results, sva.audio.out");
    int sent = 0;
    try (StackClients clients = new StackClients(stack);
         PoisonRecords poisons = new PoisonRecords(clients.settings());
         AnalyticsInstance analytics = AnalyticsInstance.start(stack, "analytics-poison-" + run, Map.of())) {
      await("the application runs", () -> analytics.streams().state() == KafkaStreams.State.RUNNING);
      String callId = "call-poison-" + run;
      long now = Instant.now().toEpochMilli();
      Map<String, Object> valid = new LinkedHashMap<>();
      valid.put(Topics.CALLS, started(callId, "poison-" + run, CallDirection.OUTBOUND, now));
      valid.put(Topics.TRANSCRIPTS, said(callId, "u1", "hello", 0, 500, now, 100));
      valid.put(Topics.DIALOG_TURNS, say(callId, "t1", "Hello!", "greeting", null, now));
      valid.put(Topics.CRM_RESULTS, crm(callId, "poison-" + run, "RegisterCall", callId + ":register",
          CrmStatus.APPLIED, now));
      valid.put(Topics.AUDIO_OUT, agentAudio(callId, "t1", 0, 20, now));

      for (Map.Entry<String, Object> topic : valid.entrySet()) {
        String name = topic.getKey();
        // CRM results and agent audio are re-keyed by the value's call id: another key is not a fault there
        boolean keyed = !name.equals(Topics.CRM_RESULTS) && !name.equals(Topics.AUDIO_OUT);
        for (PoisonRecords.Poison p : poisons.structured(name, callId, topic.getValue(), PoisonRecords.seed())) {
          sent++;
          String kind = name + " " + p.shape();
          double before = skipped(meters, name);
          clients.sendRaw(new ProducerRecord<>(name, p.key(), p.value()));
          if (p.shape() == PoisonRecords.Shape.WRONG_KEY && !keyed) {
            report.handled(kind, "processed (re-keyed by its call id)");
          } else if (awaitQuietly(() -> skipped(meters, name) > before)) {
            report.handled(kind, "skipped and counted");
          } else {
            report.mishandled(kind, p + " was neither counted as skipped nor refused");
          }
        }
        List<PoisonRecords.Poison> mutations = poisons.mutations(name, callId, topic.getValue(), PoisonRecords.seed(),
            PoisonRecords.mutationCount(30));
        double before = skipped(meters, name);
        for (PoisonRecords.Poison p : mutations) {
          sent++;
          clients.sendRaw(new ProducerRecord<>(name, p.key(), p.value()));
        }
        // a valid record after them is handled, so every mutation before it on that partition was, too
        String marker = "call-marker-" + UUID.randomUUID().toString().substring(0, 8);
        clients.send(Topics.CALLS, marker, started(marker, "poison-" + run, CallDirection.OUTBOUND, now));
        await("a call after the poison is in the views", () -> analytics.get("/api/analytics/calls/" + marker)
            .statusCode() == 200);
        int counted = (int) Math.min(mutations.size(), Math.round(skipped(meters, name) - before));
        for (int i = 0; i < mutations.size(); i++) {
          report.handled(name + " MUTATED", i < counted ? "skipped and counted" : "processed");
        }
      }

      String after = "call-after-" + run;
      clients.send(Topics.CALLS, after, started(after, "poison-" + run, CallDirection.OUTBOUND, now));
      clients.send(Topics.CALLS, after, answered(after, "poison-" + run, AnsweredBy.HUMAN, now + 1_000));
      clients.send(Topics.CALLS, after, ended(after, "poison-" + run, CallEndReason.CUSTOMER_HANGUP, 5_000,
          now + 6_000));
      await("the call after the poison ended in the views", () -> {
        var r = analytics.get("/api/analytics/calls/" + after);
        return r.statusCode() == 200 && r.body().contains("CUSTOMER_HANGUP");
      });
      assertThat(analytics.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(analytics.get("/api/analytics/calls/not-" + callId).statusCode())
          .as("events with a wrong key are not filed under that key").isEqualTo(404);
    } finally {
      Metrics.removeRegistry(meters);
      report.write();
    }
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).as("every poison accounted for").isEqualTo(sent);
  }

  private static double skipped(SimpleMeterRegistry meters, String topic) {
    return meters.find(SkippedRecords.METRIC).tag("topic", topic).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static boolean awaitQuietly(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleep(50);
    }
    return false;
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      sleep(100);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
