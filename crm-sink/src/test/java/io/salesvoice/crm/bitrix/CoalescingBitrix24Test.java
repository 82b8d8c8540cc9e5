package io.salesvoice.crm.bitrix;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class CoalescingBitrix24Test {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private final SimulatedBitrix24 fake = new SimulatedBitrix24();

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void concurrentCallsShareBatchRequestsAndEachGetsItsOwnResult() {
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1, new SimpleMeterRegistry());
    List<String> ids = Flux.range(0, 120)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i,
                "PHONE", List.of(Map.of("VALUE", "+7999100" + (1000 + i), "VALUE_TYPE", "WORK")))))
            .map(id -> i + "=" + id.asText()), 120)
        .collectList().block(WAIT);
    assertThat(ids).hasSize(120);
    assertThat(fake.leads).hasSize(120);
    for (String pair : ids) {
      String[] kv = pair.split("=");
      assertThat(fake.leads.get(kv[1])).containsEntry("TITLE", "lead " + kv[0]);
    }
    assertThat(fake.requests.size()).as("packed into batches of at most 50").isBetween(3, 10);
    assertThat(fake.requests).allMatch(m -> m.equals("batch") || m.equals("crm.lead.add"));
  }

  @Test
  void callsArrivingWhileARequestIsOutWaitForOneRequestInsteadOfASecondPartialOne() {
    fake.answerDelay(Duration.ofMillis(500));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 2, meters);
    List<JsonNode> ids = Flux.range(0, 11)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i))), 11)
        .collectList().block(WAIT);
    assertThat(ids).hasSize(11);
    assertThat(fake.requests).as("the first call alone, then the ten that waited for its answer")
        .containsExactly("crm.lead.add", "batch");
    assertThat(meters.get("sva.crm.batch.calls").summary().max()).isEqualTo(10);
    assertThat(meters.get("sva.crm.batch.queued").timer().count()).isEqualTo(11);
  }

  @Test
  void aFullBatchGoesOutWhileAnotherRequestIsStillOut() {
    fake.answerDelay(Duration.ofMillis(500));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 2, meters);
    List<JsonNode> ids = Flux.range(0, 101)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i))), 101)
        .collectList().block(WAIT);
    assertThat(ids).hasSize(101);
    assertThat(fake.requests).containsExactlyInAnyOrder("crm.lead.add", "batch", "batch");
    assertThat(Math.abs(fake.requestTimesMillis.get(1) - fake.requestTimesMillis.get(0)))
        .as("the full batch did not wait for the first answer").isLessThan(500);
    assertThat(meters.get("sva.crm.batch.calls").summary().totalAmount()).isEqualTo(101);
  }

  @Test
  void theCallsOfARequestTheLimitRefusedRideWithTheOthersInTheNextRequest() {
    fake.fillBucket();
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1, new SimpleMeterRegistry());
    List<JsonNode> ids = Flux.range(0, 11)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i))), 11)
        .collectList().block(WAIT);
    assertThat(ids).hasSize(11);
    assertThat(fake.leads).hasSize(11);
    assertThat(fake.limitAnswers.get()).isEqualTo(1);
    assertThat(fake.requests).as("the refused call is not sent alone again").containsExactly("crm.lead.add", "batch");
    assertThat(fake.callsPerRequest).containsExactly(11);
  }

  @Test
  void aCallTheLimitKeepsRefusingFailsAsUnavailableAfterItsAttempts() {
    fake.deny("crm.lead.add", 503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    WebClientBitrix24 client = Bitrix24Clients.client(fake);
    CoalescingBitrix24 b24 = new CoalescingBitrix24(client, 50, 1, new SimpleMeterRegistry());
    Object outcome = b24.call("crm.lead.add", Map.of("fields", Map.of())).<Object>map(JsonNode::asText)
        .onErrorResume(e -> Mono.just(e)).block(WAIT);
    assertThat(outcome).isInstanceOfSatisfying(Bitrix24Unavailable.class,
        u -> assertThat(u.code()).isEqualTo("QUERY_LIMIT_EXCEEDED"));
    assertThat(fake.requests).hasSize(client.limits().maxAttempts());
  }

  @Test
  void aRefusedCallFailsAloneAndTheOthersInItsBatchSucceed() {
    fake.deny("crm.contact.add", 403, "ACCESS_DENIED", "Access denied!");
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1, new SimpleMeterRegistry());
    List<Object> outcomes = Flux.range(0, 10)
        .flatMap(i -> b24.call(i == 5 ? "crm.contact.add" : "crm.lead.add", Map.of("fields", Map.of("TITLE", "x")))
            .<Object>map(JsonNode::asText)
            .onErrorResume(e -> Mono.just(e)), 10)
        .collectList().block(WAIT);
    assertThat(outcomes).filteredOn(o -> o instanceof Bitrix24Rejected).hasSize(1);
    assertThat(fake.leads).hasSize(9);
  }

  @Test
  void aBatchThatCannotBeSentFailsAllItsCallsAsUnavailable() {
    fake.down(true);
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1, new SimpleMeterRegistry());
    List<Object> outcomes = Flux.range(0, 5)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of())).<Object>map(JsonNode::asText)
            .onErrorResume(e -> Mono.just(e)), 5)
        .collectList().block(WAIT);
    assertThat(outcomes).hasSize(5).allMatch(o -> o instanceof Bitrix24Unavailable);
  }
}
