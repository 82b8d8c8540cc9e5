package io.salesvoice.crm.bitrix;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The REST client against a local portal that answers as Bitrix24 documents, limits and errors included. */
class WebClientBitrix24Test {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private SimulatedBitrix24 fake;

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.close();
    }
  }

  static Throwable failureOf(Mono<?> mono) {
    return mono.then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(WAIT);
  }

  @Test
  void aCallAnswersItsResult() {
    fake = new SimulatedBitrix24();
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    JsonNode id = b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "x",
        "PHONE", List.of(Map.of("VALUE", "+79990001122", "VALUE_TYPE", "WORK"))))).block(WAIT);
    assertThat(fake.leads).containsKey(id.asText());
    JsonNode found = b24.call("crm.duplicate.findbycomm", Map.of("type", "PHONE", "values", List.of("+79990001122")))
        .block(WAIT);
    assertThat(found.path("LEAD").get(0).asText()).isEqualTo(id.asText());
  }

  @Test
  void aBatchSendsManyCallsInOneRequestAndAnswersEachResult() {
    fake = new SimulatedBitrix24();
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    LinkedHashMap<String, Bitrix24.Call> calls = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      calls.put("add" + i, new Bitrix24.Call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i,
          "PHONE", List.of(Map.of("VALUE", "+7999000000" + i, "VALUE_TYPE", "WORK"))))));
    }
    Map<String, JsonNode> results = b24.batch(calls).block(WAIT);
    assertThat(results).containsOnlyKeys("add0", "add1", "add2");
    assertThat(fake.count("batch")).isEqualTo(1);
    assertThat(fake.leads).hasSize(3);
    assertThat(fake.leadsWithPhone("+79990000001")).extracting(l -> l.get("TITLE")).containsExactly("lead 1");
  }

  @Test
  void aRefusedCallInABatchIsARejection() {
    fake = new SimulatedBitrix24();
    fake.deny("crm.contact.update", 403, "ACCESS_DENIED", "Access denied!");
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    LinkedHashMap<String, Bitrix24.Call> calls = new LinkedHashMap<>();
    calls.put("c", new Bitrix24.Call("crm.contact.update", Map.of("id", 1, "fields", Map.of("NAME", "x"))));
    assertThat(failureOf(b24.batch(calls)))
        .isInstanceOfSatisfying(Bitrix24Rejected.class, e -> {
          assertThat(e.code()).isEqualTo("ACCESS_DENIED");
          assertThat(e.method()).isEqualTo("crm.contact.update");
        });
  }

  @Test
  void permanentErrorsAreRejectionsWithTheCodeAndDescription() {
    fake = new SimulatedBitrix24();
    fake.deny("crm.lead.add", 403, "ACCESS_DENIED", "Access denied!");
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    assertThat(failureOf(b24.call("crm.lead.add", Map.of("fields", Map.of()))))
        .isInstanceOfSatisfying(Bitrix24Rejected.class, e -> {
          assertThat(e.code()).isEqualTo("ACCESS_DENIED");
          assertThat(e.description()).isEqualTo("Access denied!");
          assertThat(e.httpStatus()).isEqualTo(403);
        });
    assertThat(failureOf(b24.call("crm.no.such.method", Map.of())))
        .isInstanceOfSatisfying(Bitrix24Rejected.class, e -> assertThat(e.code()).isEqualTo("ERROR_METHOD_NOT_FOUND"));
    assertThat(failureOf(b24.call("crm.contact.add", Map.of("fields", Map.of("UF_CRM_UNKNOWN", "1")))))
        .isInstanceOfSatisfying(Bitrix24Rejected.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.getMessage()).contains("Field UF_CRM_UNKNOWN is not found");
        });
    assertThat(fake.count("crm.lead.add")).as("a rejection is not retried").isEqualTo(1);
  }

  @Test
  void aRefusedWebhookMakesCommandsWaitAndNeverShowsTheToken() {
    fake = new SimulatedBitrix24();
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake.webhookUrlWithToken("wrongtoken"),
        Bitrix24Clients.limits(50, 2, 2), new SimpleMeterRegistry());
    assertThat(failureOf(b24.call("crm.lead.add", Map.of())))
        .isInstanceOfSatisfying(Bitrix24Unavailable.class, e -> {
          assertThat(e.code()).isEqualTo("AUTH:INVALID_CREDENTIALS");
          assertThat(e.getMessage()).doesNotContain("wrongtoken");
        });
  }

  @Test
  void anUnreachablePortalIsUnavailableAndTheMessageHasNoToken() {
    fake = new SimulatedBitrix24();
    String url = fake.webhookUrl();
    fake.close();
    fake = null;
    WebClientBitrix24 b24 = Bitrix24Clients.client(url, Bitrix24Clients.limits(50, 2, 2), new SimpleMeterRegistry());
    assertThat(failureOf(b24.call("crm.lead.add", Map.of())))
        .isInstanceOfSatisfying(Bitrix24Unavailable.class, e -> {
          assertThat(e.code()).isIn("NETWORK", "CIRCUIT_OPEN");
          assertThat(e.getMessage()).doesNotContain(SimulatedBitrix24.TOKEN);
        });
  }

  @Test
  void anOutageOpensTheCircuitAndTheCallSucceedsWhenThePortalIsBack() throws Exception {
    fake = new SimulatedBitrix24();
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    fake.down(true);
    for (int i = 0; i < 4; i++) {
      assertThat(failureOf(b24.call("crm.lead.add", Map.of("fields", Map.of()))))
          .isInstanceOfSatisfying(Bitrix24Unavailable.class, e -> assertThat(e.maybeApplied()).isTrue());
    }
    assertThat(fake.count("crm.lead.add")).as("a 502 may have been applied: not re-sent blindly").isEqualTo(4);
    assertThat(b24.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    long before = fake.requests.size();
    assertThat(failureOf(b24.call("crm.lead.add", Map.of("fields", Map.of()))))
        .isInstanceOfSatisfying(Bitrix24Unavailable.class, e -> assertThat(e.code()).isEqualTo("CIRCUIT_OPEN"));
    assertThat(fake.requests.size()).as("an open circuit sends nothing").isEqualTo(before);

    fake.down(false);
    Thread.sleep(2_500);   // the breaker's open interval in these tests
    JsonNode id = b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "back"))).block(WAIT);
    assertThat(fake.leads).containsKey(id.asText());
    assertThat(b24.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void afterTheFirstLimitAnswerThePortalsLimitIsNeverExceededAgain() {
    // Another integration of the same portal has filled the shared counter: the sink's model cannot know it.
    fake = new SimulatedBitrix24(10, 2);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    WebClientBitrix24 other = Bitrix24Clients.client(fake.webhookUrl(), Bitrix24Clients.limits(50, 2, 0),
        new SimpleMeterRegistry());
    Flux.range(0, 10).concatMap(i -> other.call("crm.lead.add", Map.of("fields", Map.of()))).blockLast(WAIT);
    fake.leads.clear();
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake.webhookUrl(), Bitrix24Clients.limits(10, 2, 4), meters);
    List<JsonNode> ids = Flux.range(0, 12)
        .concatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i))))
        .collectList().block(WAIT);
    assertThat(ids).hasSize(12);
    assertThat(fake.leads).hasSize(12);
    assertThat(fake.limitAnswers.get()).as("one QUERY_LIMIT_EXCEEDED, then none").isEqualTo(1);
    assertThat(fake.limitAnswersAfterFirst.get()).isZero();
    assertThat(meters.counter("sva.crm.rate_limited", "portal", "test").count()).isEqualTo(1.0);
  }

  @Test
  void concurrentCallersStayWithinTheBucket() {
    fake = new SimulatedBitrix24(10, 2);
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake.webhookUrl(), Bitrix24Clients.limits(10, 2, 4),
        new SimpleMeterRegistry());
    List<JsonNode> ids = Flux.range(0, 20)
        .flatMap(i -> b24.call("crm.lead.add", Map.of("fields", Map.of("TITLE", "lead " + i))), 20)
        .collectList().block(WAIT);
    assertThat(ids).hasSize(20);
    assertThat(fake.limitAnswers.get()).as("no QUERY_LIMIT_EXCEEDED at all").isZero();
  }

  @Test
  void aMethodCloseToItsTimeLimitIsHeldBackInsteadOfBeingBlocked() {
    fake = new SimulatedBitrix24();
    fake.operatingCost("crm.activity.list", 200, 480);
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    for (int i = 0; i < 3; i++) {
      b24.call("crm.activity.list", Map.of()).block(WAIT);
    }
    assertThat(b24.operatingBudget().operating("crm.activity.list")).isEqualTo(600.0);
    assertThat(failureOf(b24.call("crm.activity.list", Map.of())))
        .isInstanceOfSatisfying(Bitrix24Unavailable.class, e -> {
          assertThat(e.code()).isEqualTo("OPERATION_TIME_LIMIT");
          assertThat(e.retryAfter()).isGreaterThan(Duration.ofMinutes(5));
        });
    assertThat(fake.count("crm.activity.list")).as("the held-back call was not sent").isEqualTo(3);
    assertThat(b24.call("crm.lead.add", Map.of("fields", Map.of())).block(WAIT)).as("other methods go on").isNotNull();
  }

  @Test
  void aBlockedMethodAnswerIsRememberedUntilItsReset() {
    fake = new SimulatedBitrix24();
    fake.operatingCost("crm.timeline.comment.list", 500, 480);
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    // The first call spends 500 s at once (allowed: the total was 0); the next one is blocked by the portal.
    b24.call("crm.timeline.comment.list", Map.of()).block(WAIT);
    assertThat(failureOf(b24.call("crm.timeline.comment.list", Map.of())))
        .isInstanceOfSatisfying(Bitrix24Unavailable.class, e -> assertThat(e.code()).isEqualTo("OPERATION_TIME_LIMIT"));
    assertThat(fake.count("crm.timeline.comment.list")).as("held back after the report, never sent again")
        .isEqualTo(1);
  }
}
