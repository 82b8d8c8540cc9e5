package io.salesvoice.crm.bitrix;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1);
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
  void aRefusedCallFailsAloneAndTheOthersInItsBatchSucceed() {
    fake.deny("crm.contact.add", 403, "ACCESS_DENIED", "Access denied!");
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1);
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
    CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(fake), 50, 1);
    List<Object> outcomes = Flux.range(0, 5)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of())).<Object>map(JsonNode::asText)
            .onErrorResume(e -> Mono.just(e)), 5)
        .collectList().block(WAIT);
    assertThat(outcomes).hasSize(5).allMatch(o -> o instanceof Bitrix24Unavailable);
  }
}
