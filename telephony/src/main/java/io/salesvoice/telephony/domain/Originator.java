package io.salesvoice.telephony.domain;

import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.telephony.PlacedCall;
import io.salesvoice.schema.telephony.PlacementStatus;
import io.salesvoice.telephony.ledger.PlacementLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Places one call request at most once. Before the provider is asked, an ATTEMPTING entry is written to the ledger
 * and acknowledged; after it answered, PLACED (or REJECTED, NOT_PLACED, UNCERTAIN). So after any crash a redelivered
 * request finds its entry: PLACED and REJECTED are not placed again, NOT_PLACED (the provider proved it started
 * nothing) is tried again, and ATTEMPTING (the crash came between the entry and the answer) is uncertain and never
 * tried again. The price of "never twice" is that a crash in that window can lose a call; it is dead-lettered then.
 */
public final class Originator {

  private static final Logger log = LoggerFactory.getLogger(Originator.class);
  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

  /** What the ledger entry and the dialer see of one request; {@code failure} non-null: also dead-letter it. */
  public record Outcome(String result, Optional<CallEvent> event, RuntimeException failure) {
  }

  /** What the scenario needs besides the request: where to stream media and report outcomes, and the caller id. */
  public record Settings(String mediaUrl, String callbackUrl, String callerId, Duration callbackGrace,
                         int maxCustomDataChars) {
  }

  private final PlacementLedger ledger;
  private final CallPlacer placer;
  private final CallTokens mediaTokens;
  private final CallTokens callbackTokens;
  private final Settings settings;
  private final Clock clock;

  public Originator(PlacementLedger ledger, CallPlacer placer, CallTokens mediaTokens, CallTokens callbackTokens,
                    Settings settings, Clock clock) {
    this.ledger = ledger;
    this.placer = placer;
    this.mediaTokens = mediaTokens;
    this.callbackTokens = callbackTokens;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The outcome of one request. Fails (and should be retried later) only with a transient error: the provider
   * unavailable ({@link ProviderUnavailable}) or the ledger unwritable.
   */
  public Mono<Outcome> handle(CallRequest request) {
    return ledger.ready().then(Mono.defer(() -> {
      String callId = request.getCallId();
      Optional<PlacedCall> previous = ledger.lookup(callId);
      if (previous.isPresent()) {
        PlacedCall p = previous.get();
        switch (p.getStatus()) {
          case PLACED:
            log.info("Call {} was already placed (session {}): not placed again", callId, p.getProviderSessionId());
            return Mono.just(new Outcome("duplicate", Optional.empty(), null));
          case REJECTED:
            // The CallEnded may not have reached the dialer before a crash: tell it again (same event id).
            return Mono.just(new Outcome("duplicate", Optional.of(ended(request, p.getDetail())), null));
          case EXPIRED:
            return Mono.just(new Outcome("duplicate", Optional.of(ended(request, EXPIRED_DETAIL)), null));
          case NOT_PLACED:
            break;   // the provider proved it started nothing: try again
          case UNCERTAIN:
            return Mono.just(uncertain(p.getDetail()));
          default:   // ATTEMPTING, UNKNOWN: a previous attempt stopped between asking and hearing back
            String detail = "an earlier attempt (" + p.getUpdatedAt() + ") ended before " + placer.provider()
                + " answered; it may have started the call, so it is not started again";
            return record(entry(request, PlacementStatus.UNCERTAIN, null, detail))
                .thenReturn(uncertain(detail));
        }
      }
      Instant now = clock.instant();
      if (!now.isBefore(request.getExpiresAt())) {
        log.info("Call {} expired at {} before it was placed: dropped", callId, request.getExpiresAt());
        return record(entry(request, PlacementStatus.EXPIRED, null, EXPIRED_DETAIL))
            .thenReturn(new Outcome("expired", Optional.of(ended(request, EXPIRED_DETAIL)), null));
      }
      Map<String, Object> customData;
      try {
        customData = customData(request, now);
      } catch (PlacementRejected e) {
        return reject(request, e);
      }
      return record(entry(request, PlacementStatus.ATTEMPTING, null, null))
          .then(Mono.defer(() -> placer.place(callId, customData)))
          .flatMap(placed -> {
            log.info("Call {} to {} placed through {} (session {})", callId,
                Redaction.maskPhone(request.getPhoneNumber()), placer.provider(), placed.sessionId());
            return record(entry(request, PlacementStatus.PLACED, placed.sessionId(), null))
                .thenReturn(new Outcome("placed", Optional.<CallEvent>empty(), null));
          })
          .onErrorResume(PlacementRejected.class, e -> reject(request, e))
          .onErrorResume(PlacementUncertain.class, e ->
              record(entry(request, PlacementStatus.UNCERTAIN, null, e.getMessage()))
                  .thenReturn(uncertain(e.getMessage())))
          .onErrorResume(ProviderUnavailable.class, e ->
              // Nothing was started: say so, so that the stage's retry of this record asks the provider again.
              record(entry(request, PlacementStatus.NOT_PLACED, null, e.code() + ": " + e.getMessage()))
                  .then(Mono.error(e)));
    }));
  }

  static final String EXPIRED_DETAIL = "expired before it was placed";

  /**
   * A ledger write that fails (the broker unreachable) fails the record as transient, so the stage retries it rather
   * than dead-lettering it; the entry it could not write is what the retry finds missing.
   */
  private Mono<Void> record(PlacedCall entry) {
    return ledger.record(entry).onErrorMap(e -> !(e instanceof UncheckedIOException),
        e -> new UncheckedIOException(new IOException("the placement ledger cannot be written: " + e, e)));
  }

  private Outcome uncertain(String detail) {
    // No CallEnded: the call may be ringing right now, and ingest-audio or the scenario will end it.
    return new Outcome("uncertain", Optional.empty(), new PlacementUncertain("placement uncertain: " + detail, null));
  }

  private Mono<Outcome> reject(CallRequest request, PlacementRejected e) {
    String detail = placer.provider() + " refused the call: " + e.code() + ": " + Redaction.maskPhonesIn(e.getMessage());
    log.warn("Call {} to {}: {}", request.getCallId(), Redaction.maskPhone(request.getPhoneNumber()), detail);
    return record(entry(request, PlacementStatus.REJECTED, null, detail))
        .thenReturn(new Outcome("rejected", Optional.of(ended(request, detail)),
            new PlacementRejected(e.code(), detail)));
  }

  /** What the VoxEngine scenario reads with {@code VoxEngine.customData()}: everything it needs to run the call. */
  Map<String, Object> customData(CallRequest request, Instant now) {
    String phone = request.getPhoneNumber();
    if (phone == null || !E164.matcher(phone).matches()) {
      throw new PlacementRejected("INVALID_NUMBER", "the phone number " + Redaction.maskPhone(phone)
          + " is not in E.164 (+ and 7 to 15 digits)");
    }
    Duration untilExpiry = Duration.between(now, request.getExpiresAt());
    Duration ring = Duration.ofSeconds(Math.max(1, request.getRingTimeoutSeconds()));
    Duration mediaTtl = untilExpiry.plus(ring);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("callId", request.getCallId());
    data.put("phoneNumber", phone);
    data.put("callerId", settings.callerId());
    data.put("campaignId", request.getCampaignId());
    data.put("leadId", request.getLeadId());
    data.put("attempt", request.getAttempt());
    data.put("language", request.getLanguage());
    data.put("scriptId", request.getScriptId());
    data.put("parameters", new LinkedHashMap<>(request.getParameters()));
    data.put("ringTimeoutSeconds", ring.toSeconds());
    data.put("mediaUrl", settings.mediaUrl());
    data.put("mediaToken", mediaTokens.issue(request.getCallId(), mediaTtl));
    data.put("callbackUrl", settings.callbackUrl());
    data.put("callbackToken", callbackTokens.issue(request.getCallId(), mediaTtl.plus(settings.callbackGrace())));
    int size = CustomDataJson.write(data).length();
    if (size > settings.maxCustomDataChars()) {
      throw new PlacementRejected("CUSTOM_DATA_TOO_LARGE", "the scenario's custom data has " + size
          + " characters, more than " + settings.maxCustomDataChars() + " (too many or too long parameters)");
    }
    return data;
  }

  private PlacedCall entry(CallRequest r, PlacementStatus status, String sessionId, String detail) {
    return PlacedCall.newBuilder()
        .setCallId(r.getCallId())
        .setCampaignId(r.getCampaignId())
        .setProvider(placer.provider())
        .setStatus(status)
        .setProviderSessionId(sessionId)
        .setDetail(detail)
        .setUpdatedAt(clock.instant())
        .build();
  }

  private CallEvent ended(CallRequest r, String detail) {
    return CallOutcomes.ended(r.getCallId(), r.getCampaignId(), CallEndReason.ERROR, detail, "placement", clock);
  }
}
