package io.salesvoice.crm.domain;

import static io.salesvoice.crm.domain.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.salesvoice.crm.bitrix.Bitrix24;
import io.salesvoice.crm.bitrix.Bitrix24Rejected;
import io.salesvoice.crm.bitrix.Bitrix24Unavailable;
import io.salesvoice.crm.ledger.Ledger;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The ledger protocol around each write, without Kafka or HTTP. */
class CommandHandlerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Records what was written to the ledger in order, and can fail writes like an unreachable broker. */
  static final class MemoryLedger implements Ledger {
    final Map<String, CrmResult> entries = new ConcurrentHashMap<>();
    final List<CrmStatus> written = new ArrayList<>();

    @Override
    public Mono<Void> ready() {
      return Mono.empty();
    }

    @Override
    public Optional<CrmResult> lookup(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public Mono<Void> record(CrmResult entry) {
      return Mono.fromRunnable(() -> {
        written.add(entry.getStatus());
        entries.put(entry.getIdempotencyKey(), entry);
      });
    }

    @Override
    public Optional<String> bitrixCallId(String callId) {
      return Optional.empty();
    }
  }

  /** A portal that answers findbycomm with nothing and counts the lead adds; or fails as told. */
  static final class ScriptedPortal implements Bitrix24 {
    final List<String> calls = new ArrayList<>();
    Throwable failure;

    @Override
    public Mono<JsonNode> call(String method, Map<String, ?> params) {
      calls.add(method);
      if (failure != null && !method.equals("crm.duplicate.findbycomm")) {
        return Mono.error(failure);
      }
      return Mono.just(method.equals("crm.duplicate.findbycomm") ? JsonNodeFactory.instance.arrayNode()
          : IntNode.valueOf(calls.size()));
    }

    @Override
    public Mono<Map<String, JsonNode>> batch(LinkedHashMap<String, Call> calls) {
      return Mono.error(new UnsupportedOperationException());
    }
  }

  private final MemoryLedger ledger = new MemoryLedger();
  private final ScriptedPortal portal = new ScriptedPortal();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private final CommandHandler handler = new CommandHandler(ledger,
      new CrmWriter(new CrmWriter.Settings(1, "UF_CRM_DNC"), id -> Optional.empty()), name -> {
        if (name != null) {
          throw new CommandRejected("UNKNOWN_PORTAL", "no portal " + name);
        }
        return portal;
      }, clock);

  private final CrmCommand lead = command("call-1", "call-1:lead", Commands.lead("+79991234567", "Ivan"));

  @Test
  void anAttemptIsRecordedBeforeBitrixIsCalledAndTheOutcomeAfter() {
    CommandHandler.Outcome outcome = handler.handle(lead).block(WAIT);
    assertThat(outcome.rejection()).isNull();
    CrmResult r = outcome.result();
    assertThat(r.getStatus()).isEqualTo(CrmStatus.APPLIED);
    assertThat(r.getEntityType()).isEqualTo("LEAD");
    assertThat(r.getCommandType()).isEqualTo("UpsertLead");
    assertThat(r.getCampaignId()).isEqualTo("spring-sale");
    assertThat(r.getAttempts()).isEqualTo(1);
    assertThat(r.getCompletedAt()).isEqualTo(clock.instant());
    assertThat(ledger.written).containsExactly(CrmStatus.UNKNOWN, CrmStatus.APPLIED);
  }

  @Test
  void anAppliedKeyIsAnsweredDuplicateWithoutCallingBitrix() {
    handler.handle(lead).block(WAIT);
    int calls = portal.calls.size();
    CrmCommand again = command("call-1", "call-1:lead", Commands.lead("+79991234567", "Ivan"));
    CrmResult r = handler.handle(again).block(WAIT).result();
    assertThat(r.getStatus()).isEqualTo(CrmStatus.DUPLICATE);
    assertThat(r.getCommandId()).isEqualTo(again.getCommandId());
    assertThat(r.getEntityId()).isEqualTo(ledger.entries.get("call-1:lead").getEntityId());
    assertThat(portal.calls).hasSize(calls);
  }

  @Test
  void aTransientFailureLeavesTheAttemptUncertainAndTheNextAttemptCountsOn() {
    portal.failure = new Bitrix24Unavailable("HTTP_502", "down", Duration.ZERO, null);
    Throwable error = handler.handle(lead).then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(WAIT);
    assertThat(error).isInstanceOf(Bitrix24Unavailable.class);
    assertThat(ledger.entries.get("call-1:lead").getStatus()).isEqualTo(CrmStatus.UNKNOWN);

    portal.failure = null;
    CrmResult r = handler.handle(lead).block(WAIT).result();
    assertThat(r.getStatus()).isEqualTo(CrmStatus.APPLIED);
    assertThat(r.getAttempts()).isEqualTo(2);
  }

  @Test
  void aRefusalIsRecordedAsRejectedAndARedrivenCopyIsAppliedNormally() {
    portal.failure = new Bitrix24Rejected("crm.lead.add", 403, "ACCESS_DENIED", "Access denied!");
    CommandHandler.Outcome outcome = handler.handle(lead).block(WAIT);
    assertThat(outcome.result().getStatus()).isEqualTo(CrmStatus.REJECTED);
    assertThat(outcome.result().getError()).startsWith("ACCESS_DENIED: crm.lead.add refused (HTTP 403)");
    assertThat(outcome.rejection().code()).isEqualTo("ACCESS_DENIED");

    portal.failure = null;   // an admin granted the right and re-drove the command from the dead letters
    CrmResult r = handler.handle(lead).block(WAIT).result();
    assertThat(r.getStatus()).isEqualTo(CrmStatus.APPLIED);
  }

  @Test
  void aCommandForAnUnknownPortalIsRejected() {
    CrmCommand other = CrmCommand.newBuilder(lead).setPortal("branch-office").build();
    CommandHandler.Outcome outcome = handler.handle(other).block(WAIT);
    assertThat(outcome.result().getStatus()).isEqualTo(CrmStatus.REJECTED);
    assertThat(outcome.rejection().code()).isEqualTo("UNKNOWN_PORTAL");
    assertThat(portal.calls).isEmpty();
  }
}
