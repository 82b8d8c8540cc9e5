package io.salesvoice.telephony.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The scenario's outcome reports: authorized per call, validated, and written as CallEnded to the real broker. */
@ExtendWith(LocalStackExtension.class)
class VoximplantEventsControllerTest {

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private String calls;
  private CallTokens tokens;
  private SimpleMeterRegistry meters;
  private WebTestClient web;

  VoximplantEventsControllerTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void setUp() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    calls = clients.createTopicWithDeadLetters("calls", 3);
    tokens = new CallTokens(secret(), Clock.systemUTC());
    meters = new SimpleMeterRegistry();
    web = WebTestClient.bindToController(
        new VoximplantEventsController(tokens, sender, calls, Clock.systemUTC(), meters)).build();
  }

  @AfterEach
  void tearDown() {
    sender.close();
    clients.close();
  }

  private static byte[] secret() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    return s;
  }

  private WebTestClient.ResponseSpec post(String token, String body) {
    WebTestClient.RequestBodySpec request = web.post().uri("/api/voximplant/events")
        .contentType(MediaType.APPLICATION_JSON);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.bodyValue(body).exchange();
  }

  private String token(String callId) {
    return tokens.issue(callId, Duration.ofMinutes(10));
  }

  @Test
  void noAnswerAndBusyBecomeCallEndedForTheDialer() {
    post(token("call-1"), "{\"callId\":\"call-1\",\"campaignId\":\"spring-promo\",\"result\":\"NO_ANSWER\","
        + "\"code\":408,\"reason\":\"Request Timeout\"}")
        .expectStatus().isAccepted().expectBody().jsonPath("$.reason").isEqualTo("NO_ANSWER");
    post(token("call-2"), "{\"callId\":\"call-2\",\"campaignId\":\"spring-promo\",\"result\":\"busy\",\"code\":486,"
        + "\"reason\":\"Busy Here\"}")
        .expectStatus().isAccepted().expectBody().jsonPath("$.reason").isEqualTo("BUSY");
    post(token("call-3"), "{\"callId\":\"call-3\",\"result\":\"FAILED\",\"code\":404,\"reason\":\"Not Found +79991234567\"}")
        .expectStatus().isAccepted();

    List<ConsumerRecord<String, Object>> records = clients.read(calls, 3, Duration.ofSeconds(60));
    assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("call-1", "call-2", "call-3");
    CallEvent first = records.stream().filter(r -> r.key().equals("call-1")).map(r -> (CallEvent) r.value())
        .findFirst().orElseThrow();
    assertThat(first.getCampaignId()).isEqualTo("spring-promo");
    assertThat(((CallEnded) first.getEvent()).getReason()).isEqualTo(CallEndReason.NO_ANSWER);
    assertThat(((CallEnded) first.getEvent()).getDetail()).isEqualTo("voximplant: 408 Request Timeout");
    CallEnded busy = (CallEnded) records.stream().filter(r -> r.key().equals("call-2"))
        .map(r -> (CallEvent) r.value()).findFirst().orElseThrow().getEvent();
    assertThat(busy.getReason()).isEqualTo(CallEndReason.BUSY);
    CallEnded failed = (CallEnded) records.stream().filter(r -> r.key().equals("call-3"))
        .map(r -> (CallEvent) r.value()).findFirst().orElseThrow().getEvent();
    assertThat(failed.getReason()).isEqualTo(CallEndReason.ERROR);
    assertThat(failed.getDetail()).doesNotContain("1234567");
  }

  @Test
  void aReportWithoutAValidTokenOfItsOwnCallIsRefused() {
    String body = "{\"callId\":\"call-4\",\"result\":\"BUSY\"}";
    post(null, body).expectStatus().isUnauthorized().expectBody().jsonPath("$.error").value(m ->
        assertThat((String) m).contains("callback token"));
    post("not-a-token", body).expectStatus().isUnauthorized();
    CallTokens otherSecret = new CallTokens(secret(), Clock.systemUTC());
    post(otherSecret.issue("call-4", Duration.ofMinutes(10)), body).expectStatus().isUnauthorized();
    post(tokens.issue("call-4", Duration.ofSeconds(-1)), body).expectStatus().isUnauthorized();
    post(token("call-5"), body).expectStatus().isForbidden();

    assertThat(clients.read(calls, 1, Duration.ofSeconds(3))).isEmpty();
    assertThat(meters.get("sva.telephony.callbacks").tag("outcome", "unauthorized").counter().count()).isEqualTo(4);
  }

  @Test
  void malformedReportsAreRefusedWithAMessage() {
    post(token("call-6"), "{not json").expectStatus().isBadRequest().expectBody().jsonPath("$.error")
        .value(m -> assertThat((String) m).contains("not JSON"));
    post(token("call-6"), "[1,2]").expectStatus().isBadRequest();
    post(token("call-6"), "{\"result\":\"BUSY\"}").expectStatus().isBadRequest().expectBody().jsonPath("$.error")
        .isEqualTo("callId is missing");
    post(token("call-6"), "{\"callId\":\"call-6\",\"result\":\"VOICEMAIL\"}").expectStatus().isBadRequest()
        .expectBody().jsonPath("$.error").isEqualTo("unknown call result 'VOICEMAIL': expected NO_ANSWER, BUSY or FAILED");
    post(token("call-6"), "{\"callId\":\"call-6\"}").expectStatus().isBadRequest();

    assertThat(clients.read(calls, 1, Duration.ofSeconds(3))).isEmpty();
  }
}
