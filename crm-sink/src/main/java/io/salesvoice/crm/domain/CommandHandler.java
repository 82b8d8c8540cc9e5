package io.salesvoice.crm.domain;

import io.salesvoice.crm.bitrix.Bitrix24;
import io.salesvoice.crm.ledger.Ledger;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Applies one command at most once in effect. Before Bitrix24 is called, an UNKNOWN ("attempt started") entry is
 * recorded in the ledger and acknowledged; after Bitrix24 answered, the APPLIED entry. So after any crash the ledger
 * tells apart "never tried" (call), "applied" (answer DUPLICATE, call nothing) and "may have been applied" (UNKNOWN:
 * the {@link CrmWriter} looks the write up in Bitrix24 before making it again).
 */
public final class CommandHandler {

  /** The result to publish, and why the command was rejected (then it is also dead-lettered), or null. */
  public record Outcome(CrmResult result, CommandRejected rejection) {
  }

  private final Ledger ledger;
  private final CrmWriter writer;
  private final Function<String, Bitrix24> portals;
  private final Clock clock;

  /** @param portals the Bitrix24 portal by the command's portal name (null: the default); throws CommandRejected */
  public CommandHandler(Ledger ledger, CrmWriter writer, Function<String, Bitrix24> portals, Clock clock) {
    this.ledger = ledger;
    this.writer = writer;
    this.portals = portals;
    this.clock = clock;
  }

  /**
   * The outcome of one command. Fails (and should be retried later) only with a transient error, such as
   * {@link io.salesvoice.crm.bitrix.Bitrix24Unavailable} or the ledger being unwritable.
   */
  public Mono<Outcome> handle(CrmCommand command) {
    return ledger.ready().then(Mono.defer(() -> {
      Optional<CrmResult> previous = ledger.lookup(command.getIdempotencyKey());
      if (previous.isPresent() && previous.get().getStatus() == CrmStatus.APPLIED) {
        CrmResult p = previous.get();
        return Mono.just(new Outcome(result(command, CrmStatus.DUPLICATE, p.getEntityType(), p.getEntityId(), null,
            p.getAttempts()), null));
      }
      boolean uncertain = previous.isPresent() && previous.get().getStatus() == CrmStatus.UNKNOWN;
      int attempt = previous.map(p -> p.getAttempts() + 1).orElse(1);
      Bitrix24 portal;
      try {
        portal = portals.apply(command.getPortal());
      } catch (CommandRejected e) {
        return reject(command, e, attempt);
      }
      return ledger.record(result(command, CrmStatus.UNKNOWN, null, null, null, attempt))
          .then(writer.apply(command, portal, uncertain))
          .flatMap(applied -> {
            CrmResult done = result(command, CrmStatus.APPLIED, applied.entityType(), applied.entityId(), null, attempt);
            return ledger.record(done).thenReturn(new Outcome(done, null));
          })
          .onErrorResume(CommandRejected.class, e -> reject(command, e, attempt));
    }));
  }

  private Mono<Outcome> reject(CrmCommand command, CommandRejected e, int attempt) {
    // Nothing was written: a re-driven copy of the command is applied normally.
    CrmResult rejected = result(command, CrmStatus.REJECTED, null, null, e.getMessage(), attempt);
    return ledger.record(rejected).thenReturn(new Outcome(rejected, e));
  }

  private CrmResult result(CrmCommand c, CrmStatus status, String entityType, String entityId, String error,
                           int attempts) {
    return CrmResult.newBuilder()
        .setCommandId(c.getCommandId())
        .setIdempotencyKey(c.getIdempotencyKey())
        .setCallId(c.getCallId())
        .setCampaignId(c.getCampaignId())
        .setCommandType(commandType(c))
        .setStatus(status)
        .setEntityType(entityType)
        .setEntityId(entityId)
        .setError(error)
        .setAttempts(attempts)
        .setCompletedAt(clock.instant())
        .build();
  }

  public static String commandType(CrmCommand c) {
    return c.getCommand() == null ? "unknown" : c.getCommand().getClass().getSimpleName();
  }
}
