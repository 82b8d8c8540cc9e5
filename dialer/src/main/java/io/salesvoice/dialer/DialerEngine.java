package io.salesvoice.dialer;

import io.salesvoice.dialer.domain.CallingHours;
import io.salesvoice.dialer.domain.DialPlan;
import io.salesvoice.dialer.domain.Pacer;
import io.salesvoice.platform.kafka.CompactedTopicReader;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.CampaignStatus;
import io.salesvoice.schema.dialer.DialOutcome;
import io.salesvoice.schema.dialer.DoNotCallEntry;
import io.salesvoice.schema.dialer.Lead;
import io.salesvoice.schema.dialer.LeadState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The dial loop, on a thread of its own. Its readers keep the dialer's compacted topics in {@link DialerState} (read
 * committed), and it owns the campaigns of the campaigns-topic partitions its consumer group assigns it, follows
 * {@code sva.calls} to learn how each requested call ended, and for its running campaigns starts due leads within their
 * calling hours, under the concurrency limit and at the pacing rate.
 *
 * <p>{@code sva.dialer.lead.state} + {@code sva.dialer.requests}, key campaignId/leadId and callId, exactly once in
 * effect: "lead L attempt n is being dialled" and its CallRequest are written in one Kafka transaction by a producer
 * whose transactional id belongs to the campaign's partition, so a crash between them loses nothing and repeats
 * nothing, and a new owner of the partition fences the old one before it reads the partition's state.
 */
public final class DialerEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DialerEngine.class);
  /** How long a campaign with no lead due waits before its leads are scanned again (new uploads wait this long). */
  private static final Duration IDLE_RESCAN = Duration.ofSeconds(1);
  /** How long a fenced partition that the group still assigns here is left alone before it is taken up again. */
  private static final Duration FENCED_BACKOFF = Duration.ofSeconds(3);

  /**
   * @param groupId      consumer group of the dialer instances; also the prefix of the transactional ids
   * @param partitions   partitions of the campaigns, leads and lead-state topics (they must be equal)
   * @param answerMargin added to a campaign's ring timeout: a request with no call event by then counts as no-answer
   * @param observationTtl how long call events of calls no longer in progress are remembered
   * @param maxCallDuration a call that started but has no end this long after it was requested is ended by the dialer
   *                        (only the media edge that carried a call writes its CallEnded; an edge that died cannot)
   */
  public record Settings(String groupId, int partitions, Duration answerMargin, Duration observationTtl,
                         Duration maxCallDuration) {
  }

  /** What sva.calls told about one call so far. */
  private record Observation(boolean started, boolean machine, CallEndReason endReason, String endDetail,
                             Instant lastSeen) {
  }

  private final KafkaSettings kafka;
  private final DialerTopics topics;
  private final DialerState state;
  private final Settings settings;
  private final Clock clock;
  private final DialerMetrics metrics;
  private final Thread thread;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;
  private volatile boolean ready;

  // Written by the readers' threads, read by the loop.
  private final Map<String, Observation> observations = new ConcurrentHashMap<>();
  /** Campaigns whose last scan found no lead due: not scanned again before this instant, unless something changed. */
  private final Map<String, Instant> idleUntil = new ConcurrentHashMap<>();

  // Used by the loop thread only.
  private volatile CompactedTopicReader stateReader;
  private volatile CompactedTopicReader callsReader;
  private volatile KafkaConsumer<String, byte[]> ownership;
  private final Map<Integer, KafkaProducer<String, Object>> producers = new HashMap<>();
  /** Assigned partitions not dialled yet: null until fenced, then until their state is read to where it stood. */
  private final Map<Integer, CompletableFuture<Void>> activating = new HashMap<>();
  /** Partitions whose producer was fenced: taken up again (fencing the other) only after this System.nanoTime(). */
  private final Map<Integer, Long> fencedUntil = new HashMap<>();
  private final Map<String, Pacer> pacers = new HashMap<>();
  private final Map<String, Double> pacerRates = new HashMap<>();
  private List<TopicPartition> doNotCallPartitions = List.of();
  private Instant lastPrune = Instant.EPOCH;

  public DialerEngine(KafkaSettings kafka, DialerTopics topics, DialerState state, Settings settings, Clock clock,
                      DialerMetrics metrics) {
    this.kafka = kafka;
    this.topics = topics;
    this.state = state;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.thread = new Thread(this::run, "dialer-loop");
    thread.setDaemon(true);
  }

  public DialerEngine start() {
    thread.start();
    return this;
  }

  /** True once the state topics and sva.calls have been read up to where they stood at start-up. */
  public boolean ready() {
    return ready;
  }

  /** Whether this instance dials the campaign now. */
  public boolean owns(String campaignId) {
    return owned.contains(CampaignPartitions.of(campaignId, settings.partitions()));
  }

  /** Calls in progress of the campaigns this instance owns. */
  public long callsInProgress() {
    return state.inFlight().values().stream().filter(k -> owns(k.substring(0, k.indexOf('/')))).count();
  }

  private void run() {
    try {
      restore();
      while (running) {
        try {
          iteration();
        } catch (WakeupException e) {
          if (running) {
            log.warn("dialer loop woken up unexpectedly");
          }
        } catch (RuntimeException e) {
          log.warn("dialer loop: {}; going on in a moment", Redaction.maskPhonesIn(e.toString()));
          sleep(500);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("dialer loop woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("dialer loop stopped: no calls are placed until restart", e);
    } finally {
      closeClients();
    }
  }

  /** Reads the state topics, then sva.calls from the oldest call in progress, before owning anything. */
  private void restore() {
    stateReader = CompactedTopicReader.start(kafka, "dialer-state",
        List.of(topics.campaigns(), topics.leads(), topics.leadState(), topics.doNotCall()), this::readState);
    await(stateReader.caughtUp());
    for (String t : List.of(topics.campaigns(), topics.leads(), topics.leadState())) {
      long ps = stateReader.partitions().stream().filter(p -> p.topic().equals(t)).count();
      if (ps != settings.partitions()) {
        throw new IllegalStateException(t + " has " + ps + " partitions, the dialer needs "
            + settings.partitions() + " (the same for campaigns, leads and lead states)");
      }
    }
    doNotCallPartitions = stateReader.partitions().stream().filter(p -> p.topic().equals(topics.doNotCall())).toList();
    log.info("dialer state restored: {} campaigns, {} calls in progress", state.campaigns().size(),
        state.inFlight().size());

    Instant oldest = state.inFlight().values().stream()
        .map(k -> state.leadState(k.substring(0, k.indexOf('/')), k.substring(k.indexOf('/') + 1)))
        .filter(s -> s != null && s.getRequestedAt() != null)
        .map(LeadState::getRequestedAt)
        .min(Comparator.naturalOrder()).orElse(null);
    // No call in progress: only events from now on matter.
    callsReader = CompactedTopicReader.start(kafka, "dialer-calls", List.of(topics.calls()),
        oldest == null ? Instant.now() : oldest.minus(Duration.ofMinutes(1)), this::readCall);
    await(callsReader.caughtUp());

    Map<String, Object> group = new HashMap<>(kafka.consumerConfig(settings.groupId()));
    group.put(ConsumerConfig.CLIENT_ID_CONFIG, kafka.clientId() + "-dialer-owner");
    ownership = new KafkaConsumer<>(group);
    ownership.subscribe(List.of(topics.campaigns()), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        ownership.pause(partitions);
        partitions.forEach(p -> activating.put(p.partition(), null));
      }

      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> release(p.partition(), "revoked"));
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> release(p.partition(), "lost"));
      }
    });
    ready = true;
  }

  private void iteration() {
    ownership.poll(Duration.ofMillis(owned.isEmpty() ? 100 : 30));
    activate();
    Instant now = clock.instant();
    settle(now);
    dial(now);
    prune(now);
  }

  /** A newly assigned partition is dialled once its producer fenced the previous owner and its state is read. */
  private void activate() {
    for (Iterator<Map.Entry<Integer, CompletableFuture<Void>>> it = activating.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, CompletableFuture<Void>> e = it.next();
      int p = e.getKey();
      Long fenced = fencedUntil.get(p);
      if (fenced != null && System.nanoTime() < fenced) {
        continue;
      }
      fencedUntil.remove(p);
      if (e.getValue() == null) {
        Map<String, Object> config = new HashMap<>(kafka.producerConfig());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.groupId() + "-p" + p);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, kafka.clientId() + "-dialer-p" + p);
        KafkaProducer<String, Object> producer = new KafkaProducer<>(config);
        try {
          producer.initTransactions();   // fences the previous owner and ends its open transaction
        } catch (RuntimeException ex) {
          producer.close(Duration.ZERO);
          throw ex;
        }
        producers.put(p, producer);
        e.setValue(stateReader.caughtUp(List.of(new TopicPartition(topics.campaigns(), p),
            new TopicPartition(topics.leads(), p), new TopicPartition(topics.leadState(), p))).toFuture());
      }
      if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
        owned.add(p);
        it.remove();
        log.info("dialer owns partition {} of {}", p, topics.campaigns());
      }
    }
  }

  private void release(int p, String why) {
    activating.remove(p);
    if (owned.remove(p)) {
      log.info("dialer no longer owns partition {} of {} ({})", p, topics.campaigns(), why);
    }
    KafkaProducer<String, Object> producer = producers.remove(p);
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Ends the calls in progress whose CallEnded arrived, or that no call event came for within the ring timeout. */
  private void settle(Instant now) {
    Map<Integer, List<LeadState>> writes = new HashMap<>();
    Map<Integer, List<CallEvent>> ends = new HashMap<>();
    Map<Integer, List<String[]>> outcomes = new HashMap<>();
    for (Map.Entry<String, String> call : state.inFlight().entrySet()) {
      String key = call.getValue();
      String campaignId = key.substring(0, key.indexOf('/'));
      int p = CampaignPartitions.of(campaignId, settings.partitions());
      Campaign campaign = state.campaign(campaignId).orElse(null);
      LeadState current = state.leadState(campaignId, key.substring(key.indexOf('/') + 1));
      if (!owned.contains(p) || campaign == null || current == null || !call.getKey().equals(current.getCallId())) {
        continue;
      }
      Observation o = observations.get(call.getKey());
      DialOutcome outcome;
      String detail;
      boolean timedOut = false;
      if (o != null && o.endReason() != null) {
        outcome = DialPlan.outcomeOf(o.endReason(), o.machine());
        detail = o.endReason().name() + (o.machine() ? " (answering machine)" : "")
            + (o.endDetail() == null ? "" : ": " + o.endDetail());
      } else if ((o == null || !o.started()) && current.getRequestedAt() != null && now.isAfter(
          current.getRequestedAt().plusSeconds(campaign.getRingTimeoutSeconds()).plus(settings.answerMargin()))) {
        outcome = DialOutcome.NO_ANSWER;
        detail = "no call event within the ring timeout and margin";
        timedOut = true;
      } else if (o != null && o.started() && current.getRequestedAt() != null
          && now.isAfter(current.getRequestedAt().plus(settings.maxCallDuration()))) {
        // the edge that carried the call died without ending it: end it for every consumer of sva.calls
        outcome = DialOutcome.FAILED;
        detail = "no end of the call within " + settings.maxCallDuration() + "; ended by the dialer";
        timedOut = true;
        ends.computeIfAbsent(p, k -> new ArrayList<>()).add(CallEvent.newBuilder()
            .setCallId(call.getKey())
            .setEventId(call.getKey() + "/ended-by-dialer")
            .setOccurredAt(now)
            .setCampaignId(campaignId)
            .setEvent(CallEnded.newBuilder().setReason(CallEndReason.ERROR).setDetail(detail)
                .setDurationMs(Duration.between(current.getRequestedAt(), now).toMillis()).build())
            .build());
      } else {
        continue;
      }
      writes.computeIfAbsent(p, k -> new ArrayList<>()).add(DialPlan.afterOutcome(current, campaign, outcome, detail, now));
      outcomes.computeIfAbsent(p, k -> new ArrayList<>())
          .add(new String[] {campaignId, outcome.name(), String.valueOf(timedOut), call.getKey()});
    }
    writes.forEach((p, states) -> {
      if (commit(p, states, List.of(), ends.getOrDefault(p, List.of()))) {
        for (String[] o : outcomes.get(p)) {
          metrics.outcome(o[0], o[1], Boolean.parseBoolean(o[2]));
          observations.remove(o[3]);
          idleUntil.remove(o[0]);
        }
      }
    });
  }

  /** Starts due leads of the running campaigns this instance owns. */
  private void dial(Instant now) {
    if (owned.isEmpty()) {
      return;
    }
    boolean doNotCallChecked = false;
    for (Campaign campaign : state.campaigns()) {
      String id = campaign.getCampaignId();
      int p = CampaignPartitions.of(id, settings.partitions());
      if (campaign.getStatus() != CampaignStatus.RUNNING || !owned.contains(p)) {
        continue;
      }
      long capacity = campaign.getMaxConcurrentCalls() - state.inProgress(id);
      Pacer pacer = pacer(campaign);
      if (capacity <= 0 || !pacer.available(now.toEpochMilli())) {
        continue;
      }
      Instant idle = idleUntil.get(id);
      if (idle != null && now.isBefore(idle)) {
        continue;
      }
      CallingHours hours = CallingHours.parse(campaign.getCallingHoursStart(), campaign.getCallingHoursEnd());
      List<Map.Entry<Lead, LeadState>> due = state.leadsWithState(id).stream()
          .filter(e -> DialPlan.due(e.getValue(), now))
          .filter(e -> hours.isOpen(now, ZoneId.of(e.getKey().getTimezone())))
          .sorted(Comparator.comparing((Map.Entry<Lead, LeadState> e) -> DialPlan.dueAt(e.getKey(), e.getValue()))
              .thenComparing(e -> e.getKey().getLeadId()))
          .toList();
      if (due.isEmpty()) {
        // Scanning every lead each turn would cost a campaign of 100 000 leads waiting for its hours dearly.
        idleUntil.put(id, now.plus(IDLE_RESCAN));
        continue;
      }
      idleUntil.remove(id);
      if (!doNotCallChecked) {
        if (!readDoNotCallToEnd()) {
          return;
        }
        doNotCallChecked = true;
      }
      List<LeadState> writes = new ArrayList<>();
      List<CallRequest> requests = new ArrayList<>();
      int skipped = 0;
      for (Map.Entry<Lead, LeadState> e : due) {
        Lead lead = e.getKey();
        if (state.onDoNotCallList(lead.getPhoneNumber())) {
          writes.add(DialPlan.doNotCall(lead, e.getValue(), now));
          skipped++;
          continue;
        }
        if (capacity <= 0 || !pacer.tryAcquire(now.toEpochMilli())) {
          break;
        }
        LeadState next = DialPlan.dialling(lead, e.getValue(), now);
        Instant expires = hours.windowEnd(now, ZoneId.of(lead.getTimezone())).orElse(now);
        requests.add(CallRequest.newBuilder()
            .setCallId(next.getCallId())
            .setCampaignId(id)
            .setLeadId(lead.getLeadId())
            .setAttempt(next.getAttempts())
            .setPhoneNumber(lead.getPhoneNumber())
            .setLanguage(lead.getLanguage())
            .setScriptId(campaign.getScriptId())
            .setParameters(new HashMap<>(lead.getParameters()))
            .setRequestedAt(now)
            .setExpiresAt(expires)
            .setRingTimeoutSeconds(campaign.getRingTimeoutSeconds())
            .build());
        writes.add(next);
        capacity--;
      }
      if (!writes.isEmpty() && commit(p, writes, requests, List.of())) {
        requests.forEach(r -> {
          metrics.requested(id, r.getAttempt());
          log.info("dialer requested call {} to {} (campaign {}, attempt {})", r.getCallId(),
              Redaction.maskPhone(r.getPhoneNumber()), id, r.getAttempt());
        });
        for (int i = 0; i < skipped; i++) {
          metrics.doNotCallSkipped(id);
        }
      }
    }
  }

  private Pacer pacer(Campaign campaign) {
    String id = campaign.getCampaignId();
    Double rate = pacerRates.get(id);
    if (rate == null || rate != campaign.getCallsPerSecond()) {
      pacerRates.put(id, campaign.getCallsPerSecond());
      pacers.put(id, new Pacer(campaign.getCallsPerSecond()));
    }
    return pacers.get(id);
  }

  /** The do-not-call list as the broker has it now: a number added before this dial is honoured. */
  private boolean readDoNotCallToEnd() {
    if (!await(stateReader.caughtUp(doNotCallPartitions), Duration.ofSeconds(2))) {
      log.warn("dialer: the do-not-call list could not be read to its end; not dialling now");
      return false;
    }
    return true;
  }

  /** Writes the lead states and call requests of one partition in one transaction; false when nothing was written. */
  private boolean commit(int p, List<LeadState> states, List<CallRequest> requests, List<CallEvent> callEvents) {
    KafkaProducer<String, Object> producer = producers.get(p);
    if (producer == null) {
      return false;
    }
    try {
      producer.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (LeadState s : states) {
        sent.add(producer.send(new ProducerRecord<>(topics.leadState(), p,
            DialPlan.leadKey(s.getCampaignId(), s.getLeadId()), s)));
      }
      for (CallRequest r : requests) {
        RecordHeaders headers = new RecordHeaders();
        TraceContext.newTrace().writeTo(headers);
        producer.send(new ProducerRecord<>(topics.requests(), null, r.getCallId(), r, headers));
      }
      for (CallEvent e : callEvents) {
        producer.send(new ProducerRecord<>(topics.calls(), e.getCallId(), e));
      }
      producer.commitTransaction();
      for (int i = 0; i < states.size(); i++) {
        state.putLeadState(states.get(i), sent.get(i).get().offset());
      }
      return true;
    } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
             | AuthorizationException e) {
      log.warn("dialer: another producer took partition {} over ({}); not dialling it", p, e.toString());
      release(p, "fenced");
      if (ownership.assignment().contains(new TopicPartition(topics.campaigns(), p))) {
        // Still ours by the group: a zombie elsewhere, or an instance the group has not revoked yet. Take the partition
        // up again later; re-reading its state after fencing keeps either side from dialling a lead twice.
        activating.put(p, null);
        fencedUntil.put(p, System.nanoTime() + FENCED_BACKOFF.toNanos());
      }
      return false;
    } catch (KafkaException e) {
      log.warn("dialer: transaction on partition {} aborted, will try again: {}", p, e.toString());
      try {
        producer.abortTransaction();
      } catch (KafkaException abort) {
        release(p, "cannot abort: " + abort);
        activating.put(p, null);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      // cannot happen after a committed transaction; the state is re-read from the topic anyway
      return true;
    }
  }

  /** On the state reader's thread; a tombstone changes nothing here. */
  private void readState(String key, Object value, long offset) {
    if (value instanceof Campaign c) {
      state.putCampaign(c, offset);
      idleUntil.remove(c.getCampaignId());
    } else if (value instanceof Lead l) {
      state.putLead(l, offset);
      idleUntil.remove(l.getCampaignId());
    } else if (value instanceof LeadState s) {
      state.putLeadState(s, offset);
    } else if (value instanceof DoNotCallEntry d) {
      state.putDoNotCall(d.getPhoneNumber(), d.getListed(), offset);
    }
  }

  /** On the calls reader's thread. */
  private void readCall(String key, Object value, long offset) {
    if (!(value instanceof CallEvent event)) {
      return;
    }
    String callId = event.getCallId();
    if (event.getCampaignId() == null && !state.inFlight().containsKey(callId)) {
      return;
    }
    Object e = event.getEvent();
    if (!(e instanceof CallStarted || e instanceof CallAnswered || e instanceof CallEnded)) {
      return;
    }
    Instant seen = clock.instant();
    observations.compute(callId, (k, o) -> {
      boolean started = o != null && o.started();
      boolean machine = o != null && o.machine();
      if (e instanceof CallEnded ended) {
        return new Observation(started, machine, ended.getReason(), ended.getDetail(), seen);
      }
      boolean answeredByMachine = e instanceof CallAnswered a && a.getAnsweredBy() == AnsweredBy.MACHINE;
      return new Observation(true, machine || answeredByMachine, o == null ? null : o.endReason(),
          o == null ? null : o.endDetail(), seen);
    });
  }

  private void prune(Instant now) {
    if (Duration.between(lastPrune, now).compareTo(Duration.ofMinutes(1)) < 0) {
      return;
    }
    lastPrune = now;
    Instant before = now.minus(settings.observationTtl());
    observations.entrySet().removeIf(e -> e.getValue().lastSeen().isBefore(before)
        && !state.inFlight().containsKey(e.getKey()));
  }

  /** Waits on the loop's own thread for a reader's barrier, giving up when the dialer closes. */
  private void await(Mono<Void> barrier) {
    CompletableFuture<Void> done = barrier.toFuture();
    while (!await(done, Duration.ofSeconds(1))) {
      if (!running) {
        throw new WakeupException();
      }
    }
  }

  /** False when the barrier was not reached within {@code timeout}. */
  private boolean await(Mono<Void> barrier, Duration timeout) {
    return await(barrier.toFuture(), timeout);
  }

  private boolean await(CompletableFuture<Void> done, Duration timeout) {
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    } catch (ExecutionException e) {
      if (!running) {
        throw new WakeupException();
      }
      throw new IllegalStateException("a dialer reader failed", e.getCause());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeClients() {
    ready = false;
    owned.clear();
    for (KafkaProducer<String, Object> p : producers.values()) {
      p.close(Duration.ofSeconds(5));
    }
    producers.clear();
    if (ownership != null) {
      try {
        ownership.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("closing the dialer's group consumer: {}", e.toString());
      }
    }
    for (CompactedTopicReader r : new CompactedTopicReader[] {callsReader, stateReader}) {
      if (r != null) {
        r.close();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> group = ownership;
    if (group != null) {
      group.wakeup();
    }
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
