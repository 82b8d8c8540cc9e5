package io.salesvoice.telephony.voximplant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.telephony.domain.CallPlacer;
import io.salesvoice.telephony.domain.PlacementRejected;
import io.salesvoice.telephony.domain.PlacementUncertain;
import io.salesvoice.telephony.domain.ProviderUnavailable;
import io.salesvoice.telephony.voximplant.SimulatedVoximplantApi.Answer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** The StartScenarios client against the simulated Voximplant API: authorization, answers, retries, uncertainty. */
class VoximplantCallPlacerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final SimulatedVoximplantApi voximplant = new SimulatedVoximplantApi();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void tearDown() {
    voximplant.close();
  }

  private VoximplantCallPlacer placer(VoximplantCredentials credentials, long ruleId, int maxAttempts, String url) {
    return placer(credentials, ruleId, maxAttempts, url, Duration.ofSeconds(10));
  }

  private VoximplantCallPlacer placer(VoximplantCredentials credentials, long ruleId, int maxAttempts, String url,
                                      Duration timeout) {
    return new VoximplantCallPlacer(WebClient.builder(), credentials,
        new VoximplantCallPlacer.Settings(url, ruleId, timeout, maxAttempts, Duration.ofMillis(20),
            Duration.ofMillis(100), 10, Duration.ofSeconds(1)), meters);
  }

  private VoximplantCallPlacer placer(int maxAttempts) {
    return placer(voximplant.serviceAccount(), voximplant.ruleId, maxAttempts, voximplant.url());
  }

  @Test
  void startsTheRulesScenarioWithTheCustomDataAndAServiceAccountJwt() {
    CallPlacer.Placed placed = placer(3).place("call-1", Map.of("callId", "call-1", "phoneNumber", "+79991234567"))
        .block(WAIT);

    assertThat(voximplant.starts).hasSize(1);
    SimulatedVoximplantApi.Start start = voximplant.starts.get(0);
    assertThat(placed.sessionId()).isEqualTo(Long.toString(start.sessionId()));
    assertThat(start.params()).containsEntry("rule_id", Long.toString(voximplant.ruleId))
        .doesNotContainKeys("api_key", "account_id");
    assertThat(start.customData().path("callId").asText()).isEqualTo("call-1");
    assertThat(start.customData().path("phoneNumber").asText()).isEqualTo("+79991234567");
    assertThat(meters.get("sva.telephony.provider.requests").tag("outcome", "started").timer().count()).isEqualTo(1);
  }

  @Test
  void theDeprecatedApiKeyIsSentAsParameters() {
    placer(voximplant.apiKeyCredentials(), voximplant.ruleId, 1, voximplant.url()).place("call-2", Map.of()).block(WAIT);

    assertThat(voximplant.starts).hasSize(1);
    assertThat(voximplant.starts.get(0).params()).containsKeys("account_id", "api_key");
  }

  @Test
  void refusedCredentialsAreRejectedWithVoximplantsCodeAndMessageAndNotRetried() {
    VoximplantCredentials wrong = new VoximplantCredentials.ApiKey(Long.toString(voximplant.accountId), "not-the-key");

    assertThatThrownBy(() -> placer(wrong, voximplant.ruleId, 4, voximplant.url()).place("call-3", Map.of()).block(WAIT))
        .isInstanceOf(PlacementRejected.class)
        .hasMessageContaining("100").hasMessageContaining("Authorization failed")
        .satisfies(e -> assertThat(((PlacementRejected) e).code()).isEqualTo("100"));
    assertThat(voximplant.requests).hasValue(1);
    assertThat(voximplant.starts).isEmpty();
  }

  @Test
  void aJwtOfAnotherKeyIsRefused() {
    SimulatedVoximplantApi other = new SimulatedVoximplantApi();
    try {
      assertThatThrownBy(() -> placer(other.serviceAccount(), voximplant.ruleId, 1, voximplant.url())
          .place("call-4", Map.of()).block(WAIT))
          .isInstanceOf(PlacementRejected.class).hasMessageContaining("Authorization failed");
    } finally {
      other.close();
    }
  }

  @Test
  void anUnknownRuleIsRejected() {
    assertThatThrownBy(() -> placer(voximplant.serviceAccount(), 77, 4, voximplant.url()).place("call-5", Map.of())
        .block(WAIT))
        .isInstanceOf(PlacementRejected.class).hasMessageContaining("101").hasMessageContaining("77");
    assertThat(voximplant.requests).hasValue(1);
  }

  @Test
  void limitsAndOutagesThatProveNothingStartedAreRetriedUntilTheScenarioStarts() {
    voximplant.script(Answer.RATE_LIMITED, Answer.UNAVAILABLE_503, Answer.MEDIA_SERVER_ERROR);

    placer(4).place("call-6", Map.of()).block(WAIT);

    assertThat(voximplant.requests).hasValue(4);
    assertThat(voximplant.starts).hasSize(1);
    assertThat(meters.get("sva.telephony.provider.requests").tag("outcome", "rate_limited").timer().count())
        .isEqualTo(1);
  }

  @Test
  void anOutageLongerThanTheRetriesIsUnavailableSoTheRecordIsRetriedLater() {
    voximplant.script(Answer.UNAVAILABLE_503, Answer.UNAVAILABLE_503, Answer.UNAVAILABLE_503);

    assertThatThrownBy(() -> placer(2).place("call-7", Map.of()).block(WAIT))
        .isInstanceOf(ProviderUnavailable.class).hasMessageContaining("503")
        .hasCauseInstanceOf(java.io.IOException.class);
    assertThat(voximplant.requests).hasValue(2);
    assertThat(voximplant.starts).isEmpty();
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(() -> placer(voximplant.serviceAccount(), voximplant.ruleId, 2,
        "http://127.0.0.1:" + closedPort + "/platform_api/").place("call-8", Map.of()).block(WAIT))
        .isInstanceOf(ProviderUnavailable.class)
        .satisfies(e -> assertThat(((ProviderUnavailable) e).code()).isEqualTo("NETWORK"));
  }

  @Test
  void noAnswerInTimeIsUncertainAndTheRequestIsNotSentAgain() {
    VoximplantCallPlacer placer = placer(voximplant.serviceAccount(), voximplant.ruleId, 4, voximplant.url(),
        Duration.ofMillis(1500));
    placer.place("warm-up", Map.of()).block(WAIT);   // the first request of a JVM is slow on a busy machine
    voximplant.hangFor(Duration.ofMillis(2500));
    voximplant.script(Answer.HANG);

    assertThatThrownBy(() -> placer.place("call-9", Map.of()).block(WAIT))
        .isInstanceOf(PlacementUncertain.class).hasMessageContaining("may have started");
    assertThat(voximplant.requests).as("the warm-up and one attempt, never a second").hasValue(2);
  }

  @Test
  void aGatewayTimeoutIsUncertain() {
    voximplant.script(Answer.GATEWAY_TIMEOUT_504);

    assertThatThrownBy(() -> placer(4).place("call-10", Map.of()).block(WAIT))
        .isInstanceOf(PlacementUncertain.class).hasMessageContaining("504");
    assertThat(voximplant.requests).hasValue(1);
  }

  @Test
  void credentialsAreReadFromTheGeneratedKeyJsonAndTheResultWrapperOfCreateKey() {
    VoximplantCredentials.ServiceAccount plain = voximplant.serviceAccount() instanceof
        VoximplantCredentials.ServiceAccount s ? s : null;
    VoximplantCredentials.ServiceAccount wrapped = VoximplantCredentials.serviceAccount(
        "{\"result\":" + voximplant.credentialsJson() + "}", java.time.Clock.systemUTC());
    assertThat(plain.accountId()).isEqualTo(voximplant.accountId);
    assertThat(wrapped.accountId()).isEqualTo(voximplant.accountId);
    assertThat(plain.toString()).doesNotContain("PRIVATE");
    assertThatThrownBy(() -> VoximplantCredentials.serviceAccount("{\"account_id\":1}", java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key_id");
  }
}
