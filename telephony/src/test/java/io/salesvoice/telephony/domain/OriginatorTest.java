package io.salesvoice.telephony.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.telephony.PlacedCall;
import io.salesvoice.schema.telephony.PlacementStatus;
import io.salesvoice.telephony.ledger.PlacementLedger;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The ledger protocol in plain Java: what is written before and after the provider is asked, and on redelivery. */
class OriginatorTest {

  /** The ledger in memory; {@code failWrites} makes every write fail as a broker outage would. */
  private static final class MemoryLedger implements PlacementLedger {
    final Map<String, PlacedCall> entries = new HashMap<>();
    final List<PlacementStatus> written = new ArrayList<>();
    boolean failWrites;

    @Override
    public Mono<Void> ready() {
      return Mono.empty();
    }

    @Override
    public Optional<PlacedCall> lookup(String callId) {
      return Optional.ofNullable(entries.get(callId));
    }

    @Override
    public Mono<Void> record(PlacedCall entry) {
      if (failWrites) {
        return Mono.error(new org.apache.kafka.common.errors.TimeoutException("broker unreachable"));
      }
      entries.put(entry.getCallId(), entry);
      written.add(entry.getStatus());
      return Mono.empty();
    }
  }

  /** The provider port answering from a list; records what it was asked. */
  private static final class ScriptedPlacer implements CallPlacer {
    final List<Map<String, Object>> asked = new ArrayList<>();
    final List<RuntimeException> failures = new ArrayList<>();

    @Override
    public String provider() {
      return "voximplant";
    }

    @Override
    public Mono<Placed> place(String callId, Map<String, Object> customData) {
      asked.add(customData);
      return failures.isEmpty() ? Mono.just(new Placed("s-" + asked.size())) : Mono.error(failures.remove(0));
    }
  }

  private final MemoryLedger ledger = new MemoryLedger();
  private final ScriptedPlacer placer = new ScriptedPlacer();
  private final CallTokens tokens = new CallTokens("a-test-secret-of-enough-bytes".getBytes(), Clock.systemUTC());
  private final Originator originator = new Originator(ledger, placer, tokens, tokens,
      new Originator.Settings("wss://i/media/voximplant", "https://t/api/voximplant/events", "+74950000000",
          Duration.ofMinutes(5), 2_000), Clock.systemUTC());

  private static CallRequest request(String callId, Map<String, String> parameters) {
    Instant now = Instant.now();
    return CallRequest.newBuilder().setCallId(callId).setCampaignId("c").setLeadId("l").setAttempt(1)
        .setPhoneNumber("+79991234567").setLanguage("ru-RU").setParameters(parameters)
        .setRequestedAt(now).setExpiresAt(now.plusSeconds(600)).build();
  }

  @Test
  void attemptingIsWrittenBeforeTheProviderIsAskedAndPlacedAfter() {
    Originator.Outcome outcome = originator.handle(request("c1", Map.of())).block();

    assertThat(outcome.result()).isEqualTo("placed");
    assertThat(ledger.written).containsExactly(PlacementStatus.ATTEMPTING, PlacementStatus.PLACED);
    assertThat(ledger.entries.get("c1").getProviderSessionId()).isEqualTo("s-1");
    assertThat(originator.handle(request("c1", Map.of())).block().result()).isEqualTo("duplicate");
    assertThat(placer.asked).hasSize(1);
  }

  @Test
  void aRefusedCallIsToldToTheDialerAgainOnRedeliveryButNotDeadLetteredTwice() {
    placer.failures.add(new PlacementRejected("100", "Voximplant error 100: Authorization failed"));
    Originator.Outcome first = originator.handle(request("c2", Map.of())).block();
    Originator.Outcome again = originator.handle(request("c2", Map.of())).block();

    assertThat(first.failure()).isInstanceOf(PlacementRejected.class).hasMessageContaining("Authorization failed");
    assertThat(again.failure()).isNull();
    assertThat(again.event()).isPresent();
    assertThat(again.event().get().getEventId()).isEqualTo(first.event().orElseThrow().getEventId());
    assertThat(((CallEnded) again.event().get().getEvent()).getDetail()).contains("100");
    assertThat(placer.asked).hasSize(1);
  }

  @Test
  void anUnwritableLedgerFailsTheRecordAsTransientAndAsksNobody() {
    ledger.failWrites = true;

    assertThatThrownBy(() -> originator.handle(request("c3", Map.of())).block())
        .hasCauseInstanceOf(IOException.class).hasMessageContaining("ledger cannot be written");
    assertThat(placer.asked).isEmpty();
  }

  @Test
  void anUnavailableProviderLeavesNotPlacedSoTheRetryAsksAgain() {
    placer.failures.add(new ProviderUnavailable("HTTP_503", "Voximplant answered HTTP 503", null));

    assertThatThrownBy(() -> originator.handle(request("c4", Map.of())).block())
        .isInstanceOf(ProviderUnavailable.class);
    assertThat(ledger.entries.get("c4").getStatus()).isEqualTo(PlacementStatus.NOT_PLACED);
    assertThat(originator.handle(request("c4", Map.of())).block().result()).isEqualTo("placed");
    assertThat(placer.asked).hasSize(2);
  }

  @Test
  void customDataBeyondTheLimitIsRefusedWithoutAskingTheProvider() {
    Originator.Outcome outcome = originator.handle(request("c5", Map.of("notes", "x".repeat(3_000)))).block();

    assertThat(outcome.failure()).isInstanceOf(PlacementRejected.class).hasMessageContaining("CUSTOM_DATA_TOO_LARGE");
    assertThat(placer.asked).isEmpty();
    assertThat(ledger.entries.get("c5").getStatus()).isEqualTo(PlacementStatus.REJECTED);
  }
}
