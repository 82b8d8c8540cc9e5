package io.salesvoice.dialer;

import io.salesvoice.dialer.domain.CallingHours;
import io.salesvoice.dialer.domain.DialPlan;
import io.salesvoice.dialer.domain.LeadCsv;
import io.salesvoice.dialer.domain.PhoneNumbers;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.CampaignStatus;
import io.salesvoice.schema.dialer.DialerRetryRule;
import io.salesvoice.schema.dialer.DoNotCallEntry;
import io.salesvoice.schema.dialer.Lead;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the admin API does, written to the dialer's compacted topics: campaigns and their status, lead uploads and the
 * do-not-call list. Each write is applied to {@link DialerState} once the broker acknowledged it, so the caller reads
 * its own writes; the instance that owns the campaign picks them up from the topics.
 */
public final class CampaignService {

  /** The campaign as the API takes it. {@code delaySeconds} of a retry rule is the wait before the next call. */
  public record CampaignRequest(String id, String name, String scriptId, String language, Hours callingHours,
                                Integer maxConcurrentCalls, Double callsPerSecond, Integer ringTimeoutSeconds,
                                Retries retry) {
  }

  /** Local times HH:mm, applied in each lead's timezone. */
  public record Hours(String start, String end) {
  }

  /** Retry rules per outcome. */
  public record Retries(Rule noAnswer, Rule busy, Rule voicemail) {
  }

  /** At most {@code maxAttempts} calls in all, {@code delaySeconds} apart. */
  public record Rule(Integer maxAttempts, Long delaySeconds) {
  }

  /** The request is wrong; the messages say how. */
  public static final class Invalid extends RuntimeException {
    private final List<String> errors;

    Invalid(List<String> errors) {
      super(String.join("; ", errors));
      this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
      return errors;
    }
  }

  /** No such campaign. */
  public static final class NotFound extends RuntimeException {
    NotFound(String id) {
      super("no campaign '" + id + "'");
    }
  }

  /** The campaign exists, or is in a status that does not allow the request. */
  public static final class Conflict extends RuntimeException {
    Conflict(String message) {
      super(message);
    }
  }

  /** What an upload did. */
  public record UploadReport(int imported, int rejectedCount, List<LeadCsv.RowError> rejected, List<Integer> duplicateRows) {
  }

  private final DialerState state;
  private final RecordSender sender;
  private final DialerTopics topics;
  private final int partitions;
  private final int maxLeadRows;
  private final Clock clock;
  private final DialerMetrics metrics;

  public CampaignService(DialerState state, RecordSender sender, DialerTopics topics, int partitions, int maxLeadRows,
                         Clock clock, DialerMetrics metrics) {
    this.state = state;
    this.sender = sender;
    this.topics = topics;
    this.partitions = partitions;
    this.maxLeadRows = maxLeadRows;
    this.clock = clock;
    this.metrics = metrics;
  }

  public Mono<Campaign> create(CampaignRequest r) {
    Campaign campaign = validate(r);
    if (state.campaign(campaign.getCampaignId()).isPresent()) {
      return Mono.error(new Conflict("campaign '" + campaign.getCampaignId() + "' exists already"));
    }
    return write(campaign);
  }

  public Mono<Campaign> start(String id) {
    return transition(id, Set.of(CampaignStatus.DRAFT), CampaignStatus.RUNNING, "started");
  }

  public Mono<Campaign> pause(String id) {
    return transition(id, Set.of(CampaignStatus.RUNNING), CampaignStatus.PAUSED, "paused");
  }

  public Mono<Campaign> resume(String id) {
    return transition(id, Set.of(CampaignStatus.PAUSED), CampaignStatus.RUNNING, "resumed");
  }

  public Mono<Campaign> stop(String id) {
    return transition(id, Set.of(CampaignStatus.DRAFT, CampaignStatus.RUNNING, CampaignStatus.PAUSED),
        CampaignStatus.STOPPED, "stopped");
  }

  private Mono<Campaign> transition(String id, Set<CampaignStatus> from, CampaignStatus to, String verb) {
    Campaign c = state.campaign(id).orElse(null);
    if (c == null) {
      return Mono.error(new NotFound(id));
    }
    if (!from.contains(c.getStatus())) {
      return Mono.error(new Conflict("campaign '" + id + "' is " + c.getStatus() + " and cannot be " + verb
          + " (it must be " + from.stream().map(Enum::name).sorted().toList() + ")"));
    }
    return write(Campaign.newBuilder(c).setStatus(to).setUpdatedAt(clock.instant()).build());
  }

  private Mono<Campaign> write(Campaign c) {
    int p = CampaignPartitions.of(c.getCampaignId(), partitions);
    return sender.send(OutboundRecord.of(topics.campaigns(), c.getCampaignId(), c).toPartition(p), null)
        .doOnNext(m -> state.putCampaign(c, m.offset()))
        .thenReturn(c);
  }

  /** Parses the CSV and writes its good rows; throws {@link LeadCsv.Refused} when the file as a whole is refused. */
  public Mono<UploadReport> upload(String id, byte[] csv) {
    Campaign c = state.campaign(id).orElse(null);
    if (c == null) {
      return Mono.error(new NotFound(id));
    }
    if (c.getStatus() == CampaignStatus.STOPPED) {
      return Mono.error(new Conflict("campaign '" + id + "' is STOPPED: create a new campaign for new leads"));
    }
    LeadCsv.Result parsed = LeadCsv.parse(csv, id, c.getLanguage(), clock.instant(), maxLeadRows);
    int p = CampaignPartitions.of(id, partitions);
    List<Lead> leads = parsed.leads();
    metrics.leadsRejected(id, parsed.rejected().size());
    return sender.send(Flux.fromIterable(leads)
            .map(l -> OutboundRecord.of(topics.leads(), DialPlan.leadKey(id, l.getLeadId()), l).toPartition(p)), null)
        .zipWithIterable(leads)
        .doOnNext(t -> state.putLead(t.getT2(), t.getT1().offset()))
        .then(Mono.fromSupplier(() -> {
          metrics.leadsImported(id, leads.size());
          return new UploadReport(leads.size(), parsed.rejected().size(), parsed.rejected(), parsed.duplicateRows());
        }));
  }

  /** Adds numbers to the global do-not-call list; every number must be E.164. */
  public Mono<List<String>> addToDoNotCall(List<String> numbers) {
    if (numbers == null || numbers.isEmpty()) {
      return Mono.error(new Invalid(List.of("phoneNumbers: give at least one number")));
    }
    List<String> errors = new ArrayList<>();
    List<String> normalized = new ArrayList<>();
    for (int i = 0; i < numbers.size(); i++) {
      var n = PhoneNumbers.e164(numbers.get(i));
      if (n.isEmpty()) {
        errors.add("phoneNumbers[" + i + "] is not an E.164 number like +14155550123");
      } else {
        normalized.add(n.get());
      }
    }
    if (!errors.isEmpty()) {
      return Mono.error(new Invalid(errors));
    }
    return writeDoNotCall(normalized, true);
  }

  public Mono<List<String>> removeFromDoNotCall(String number) {
    var n = PhoneNumbers.e164(number);
    if (n.isEmpty()) {
      return Mono.error(new Invalid(List.of("not an E.164 number like +14155550123")));
    }
    return writeDoNotCall(List.of(n.get()), false);
  }

  public boolean onDoNotCallList(String number) {
    return PhoneNumbers.e164(number).map(state::onDoNotCallList).orElse(false);
  }

  private Mono<List<String>> writeDoNotCall(List<String> numbers, boolean listed) {
    Instant now = clock.instant();
    List<DoNotCallEntry> entries = numbers.stream().distinct()
        .map(n -> DoNotCallEntry.newBuilder().setPhoneNumber(n).setListed(listed).setUpdatedAt(now).build()).toList();
    return Flux.fromIterable(entries)
        .concatMap(e -> sender.send(OutboundRecord.of(topics.doNotCall(), e.getPhoneNumber(), e), null)
            .doOnNext(m -> state.putDoNotCall(e.getPhoneNumber(), listed, m.offset())))
        .then()
        .thenReturn(entries.stream().map(DoNotCallEntry::getPhoneNumber).toList());
  }

  public Campaign validate(CampaignRequest r) {
    List<String> errors = new ArrayList<>();
    if (r == null) {
      throw new Invalid(List.of("a JSON campaign is required"));
    }
    if (r.id() == null || !DialPlan.CAMPAIGN_ID.matcher(r.id()).matches()) {
      errors.add("id: 1-64 letters, digits, '-' or '_', starting with a letter or digit");
    }
    if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
      errors.add("name: required, at most 200 characters");
    }
    if (r.language() == null || !r.language().matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
      errors.add("language: a BCP 47 tag like ru-RU or en-US");
    }
    if (r.callingHours() == null) {
      errors.add("callingHours: {\"start\": \"09:00\", \"end\": \"20:00\"} is required");
    } else {
      try {
        CallingHours.parse(r.callingHours().start(), r.callingHours().end());
      } catch (IllegalArgumentException e) {
        errors.add("callingHours: " + e.getMessage());
      }
    }
    if (r.maxConcurrentCalls() == null || r.maxConcurrentCalls() < 1 || r.maxConcurrentCalls() > 1000) {
      errors.add("maxConcurrentCalls: 1 to 1000");
    }
    if (r.callsPerSecond() == null || !(r.callsPerSecond() > 0) || r.callsPerSecond() > 100) {
      errors.add("callsPerSecond: more than 0, at most 100");
    }
    int ring = r.ringTimeoutSeconds() == null ? 30 : r.ringTimeoutSeconds();
    if (ring < 5 || ring > 300) {
      errors.add("ringTimeoutSeconds: 5 to 300");
    }
    Retries retries = r.retry() == null ? new Retries(null, null, null) : r.retry();
    DialerRetryRule noAnswer = rule("retry.noAnswer", retries.noAnswer(), errors);
    DialerRetryRule busy = rule("retry.busy", retries.busy(), errors);
    DialerRetryRule voicemail = rule("retry.voicemail", retries.voicemail(), errors);
    if (!errors.isEmpty()) {
      throw new Invalid(errors);
    }
    Instant now = clock.instant();
    return Campaign.newBuilder()
        .setCampaignId(r.id())
        .setName(r.name().trim())
        .setScriptId(r.scriptId())
        .setLanguage(r.language())
        .setCallingHoursStart(r.callingHours().start().trim())
        .setCallingHoursEnd(r.callingHours().end().trim())
        .setMaxConcurrentCalls(r.maxConcurrentCalls())
        .setCallsPerSecond(r.callsPerSecond())
        .setRingTimeoutSeconds(ring)
        .setNoAnswerRetry(noAnswer)
        .setBusyRetry(busy)
        .setVoicemailRetry(voicemail)
        .setStatus(CampaignStatus.DRAFT)
        .setCreatedAt(now)
        .setUpdatedAt(now)
        .build();
  }

  /** No rule: one call only. */
  private static DialerRetryRule rule(String field, Rule rule, List<String> errors) {
    if (rule == null) {
      return new DialerRetryRule(1, 0L);
    }
    int attempts = rule.maxAttempts() == null ? 1 : rule.maxAttempts();
    long delay = rule.delaySeconds() == null ? 0 : rule.delaySeconds();
    if (attempts < 1 || attempts > 10) {
      errors.add(field + ".maxAttempts: 1 to 10 calls in all");
    }
    if (delay < 0 || delay > 7 * 24 * 3600) {
      errors.add(field + ".delaySeconds: 0 to 604800");
    }
    return new DialerRetryRule(attempts, delay);
  }

  public Map<String, Object> describe(Campaign c) {
    return CampaignJson.of(c);
  }
}
