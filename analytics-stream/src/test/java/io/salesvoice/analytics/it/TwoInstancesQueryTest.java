package io.salesvoice.analytics.it;

import static io.salesvoice.analytics.Records.answered;
import static io.salesvoice.analytics.Records.ended;
import static io.salesvoice.analytics.Records.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.analytics.http.AnalyticsController;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two real instances on the in-process broker share the partitions and answer queries for each other's keys. */
@ExtendWith(LocalStackExtension.class)
class TwoInstancesQueryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final KafkaStack stack;

  TwoInstancesQueryTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void eitherInstanceAnswersForEveryKeyAndTheSurvivorKeepsTheViewsWhenTheOtherLeaves() throws Exception {
    String app = "analytics-it-" + UUID.randomUUID().toString().substring(0, 8);
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> campaigns = List.of("north-" + run, "south-" + run, "east-" + run, "west-" + run);
    List<String> callIds = new ArrayList<>();
    try (StackClients clients = new StackClients(stack);
         AnalyticsInstance a = AnalyticsInstance.start(stack, app, Map.of());
         AnalyticsInstance b = AnalyticsInstance.start(stack, app, Map.of())) {
      await("both instances run and share the partitions", () -> running(a) && running(b)
          && hostsTasks(a, 2) && hostsTasks(b, 2));

      long now = Instant.now().toEpochMilli();
      for (int i = 0; i < 12; i++) {
        String campaign = campaigns.get(i % campaigns.size());
        String callId = "call-" + run + "-" + i;
        callIds.add(callId);
        clients.send(Topics.CALLS, callId, started(callId, campaign, CallDirection.OUTBOUND, now));
        clients.send(Topics.CALLS, callId, answered(callId, campaign, AnsweredBy.HUMAN, now + 1_000));
        clients.send(Topics.CALLS, callId, ended(callId, campaign, CallEndReason.CUSTOMER_HANGUP, 60_000, now + 61_000));
      }

      Set<String> forwardedByA = new HashSet<>();
      Set<String> forwardedByB = new HashSet<>();
      for (String callId : callIds) {
        JsonNode fromA = awaitOk(a, "/api/analytics/calls/" + callId, forwardedByA, TwoInstancesQueryTest::hasEnded);
        JsonNode fromB = awaitOk(b, "/api/analytics/calls/" + callId, forwardedByB, TwoInstancesQueryTest::hasEnded);
        assertThat(fromA.get("callId").asText()).isEqualTo(callId);
        assertThat(fromA.get("endReason").asText()).isEqualTo("CUSTOMER_HANGUP");
        assertThat(fromA.get("timeline")).isEqualTo(fromB.get("timeline"));
      }
      for (String campaign : campaigns) {
        String path = "/api/analytics/campaigns/" + campaign;
        await("campaign " + campaign + " counts its 3 calls", () -> completed(a, path) == 3 && completed(b, path) == 3);
        JsonNode fromA = awaitOk(a, path, forwardedByA, v -> true);
        JsonNode fromB = awaitOk(b, path, forwardedByB, v -> true);
        assertThat(fromA.get("total").get("callsStarted").asLong()).isEqualTo(3);
        assertThat(fromA.get("total").get("outcomes").get("NO_DECISION").asLong()).isEqualTo(3);
        assertThat(fromA.get("tumbling").get(0).get("callsStarted").asLong()).isEqualTo(3);
        assertThat(fromB.get("total").get("callsStarted")).isEqualTo(fromA.get("total").get("callsStarted"));
      }
      // Each instance answered some keys from the other's stores.
      assertThat(forwardedByA).as("keys A fetched from B").isNotEmpty();
      assertThat(forwardedByB).as("keys B fetched from A").isNotEmpty();
      assertThat(a.get("/api/analytics/calls/no-such-call-" + run).statusCode()).isEqualTo(404);

      // B's streams leave: A takes over B's partitions, restores their stores from the changelogs and answers for
      // all keys. (Only the streams: closing B's Spring context would dispose the Reactor Netty resources that every
      // context in this JVM shares, A's server included.)
      b.streams().close(Duration.ofSeconds(30));
      await("A alone hosts every task", () -> running(a) && a.streams().metadataForAllStreamsClients().size() == 1);
      for (String callId : callIds) {
        JsonNode view = awaitOk(a, "/api/analytics/calls/" + callId, new HashSet<>(), TwoInstancesQueryTest::hasEnded);
        assertThat(view.get("endReason").asText()).isEqualTo("CUSTOMER_HANGUP");
      }
      for (String campaign : campaigns) {
        assertThat(awaitOk(a, "/api/analytics/campaigns/" + campaign, new HashSet<>(), v -> true).get("total")
            .get("callsCompleted").asLong()).isEqualTo(3);
      }
    }
  }

  private static boolean running(AnalyticsInstance i) {
    return i.streams() != null && i.streams().state() == KafkaStreams.State.RUNNING;
  }

  private static boolean hostsTasks(AnalyticsInstance i, int instances) {
    var all = i.streams().metadataForAllStreamsClients();
    return all.size() == instances && all.stream().allMatch(m -> !m.topicPartitions().isEmpty());
  }

  private static long completed(AnalyticsInstance i, String path) {
    HttpResponse<String> r = i.get(path);
    if (r.statusCode() != 200) {
      return -1;
    }
    try {
      return JSON.readTree(r.body()).get("total").get("callsCompleted").asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean hasEnded(JsonNode call) {
    return call.hasNonNull("endReason");
  }

  /** Polls until the instance answers 200 with a view that has caught up; notes who served it. */
  private static JsonNode awaitOk(AnalyticsInstance i, String path, Set<String> forwarded,
                                  java.util.function.Predicate<JsonNode> caughtUp) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    HttpResponse<String> r;
    do {
      r = i.get(path);
      if (r.statusCode() == 200 && caughtUp.test(JSON.readTree(r.body()))) {
        String servedBy = r.headers().firstValue(AnalyticsController.SERVED_BY).orElseThrow();
        if (!servedBy.equals(i.address())) {
          forwarded.add(path);
        }
        return JSON.readTree(r.body());
      }
      Thread.sleep(100);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError(path + " on " + i.address() + " answered " + r.statusCode() + ": " + r.body());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(200);
    }
  }

  @SuppressWarnings("unused")
  private static StreamsMetadata unused;
}
