package io.salesvoice.analytics.topology;

import io.salesvoice.analytics.domain.CallStates;
import io.salesvoice.analytics.domain.CampaignAggregates;
import io.salesvoice.analytics.domain.CallSummaries;
import io.salesvoice.analytics.domain.Contributions;
import io.salesvoice.analytics.domain.Conversation;
import io.salesvoice.analytics.domain.QaScorer;
import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.analytics.state.Contribution;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each call's state from all its topics, and sends on (a) the call's changes to its campaign figures as
 * deltas keyed by campaign, (b) its {@code CallSummary} when it ends and at most once per publish interval while it
 * changes. A wall-clock sweep closes calls that went silent and forgets calls ended long ago.
 * <p>Deltas are summed per campaign and window bucket (the largest span every campaign window splits into whole) in
 * a changelogged store and sent on once per campaign delta interval: one record per campaign and bucket instead of
 * one per input record reaches the repartition topic and the six window updates behind it, with the same figures.
 */
final class CallStateProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

  private final TopologySettings settings;
  private final QaScorer scorer;
  private final Set<String> changed = new LinkedHashSet<>();
  private final Set<String> pendingKeys = new LinkedHashSet<>();
  private ProcessorContext<String, SpecificRecord> context;
  private WriteBehindStore<String, CallState> calls;
  private WriteBehindStore<String, CampaignAggregate> pending;
  private KeyValueStore<String, Long> open;
  private KeyValueStore<String, String> expiry;

  CallStateProcessor(TopologySettings settings) {
    this.settings = settings;
    this.scorer = new QaScorer(settings.qa());
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.calls = context.getStateStore(AnalyticsTopology.CALL_STORE);
    this.pending = context.getStateStore(AnalyticsTopology.PENDING_DELTAS_STORE);
    this.open = context.getStateStore(AnalyticsTopology.OPEN_CALLS_STORE);
    this.expiry = context.getStateStore(AnalyticsTopology.ENDED_CALLS_STORE);
    // Objects held from an earlier life of this task (it was a standby since) may be stale: the store is the truth.
    calls.forgetObjects();
    pending.forgetObjects();
    // Sums a crash left unsent come back with the store's changelog.
    try (KeyValueIterator<String, CampaignAggregate> it = pending.all()) {
      it.forEachRemaining(e -> pendingKeys.add(e.key));
    }
    context.schedule(settings.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    context.schedule(settings.publishInterval(), PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
    if (!settings.campaignDeltaInterval().isZero()) {
      context.schedule(settings.campaignDeltaInterval(), PunctuationType.WALL_CLOCK_TIME, this::sendPending);
    }
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    // Poison that reached this far must still not count, nor land on another call: skipped and counted.
    if (record.value() == null) {
      SkippedRecords.count(sourceTopic(), "no_value");
      return;
    }
    String ofValue = callIdOf(record.value());
    if (record.key() != null && ofValue != null && !record.key().equals(ofValue)) {
      SkippedRecords.count(sourceTopic(), "wrong_key");
      return;
    }
    String callId = record.key() != null ? record.key() : ofValue;
    if (callId == null) {
      SkippedRecords.count(sourceTopic(), "no_call_id");
      return;
    }
    CallState state = calls.live(callId);
    if (state == null) {
      state = CallStates.empty(callId);
    }
    boolean wasEnded = CallStates.isEnded(state);
    if (!CallStates.apply(state, record.value())) {
      return;
    }
    long now = context.currentSystemTimeMs();
    state.setLastSeenAt(now);
    changed(state, wasEnded, now);
  }

  private void changed(CallState state, boolean wasEnded, long now) {
    String callId = state.getCallId();
    // Scored at most once per change: the contribution and the summary published at the end both want it.
    QaScorer.Score[] qa = new QaScorer.Score[1];
    Supplier<QaScorer.Score> score = () -> qa[0] != null ? qa[0] : (qa[0] = scorer.score(state));
    Contribution after = Contributions.of(state, score);
    List<Contributions.Delta> deltas = new ArrayList<>(Contributions.deltas(state.getContribution(), after));
    state.setContribution(after);
    // Latency is counted once the call's campaign is known, so a sample is never filed under the wrong one; it rides
    // in the same delta as the call's other changes, so one record carries everything one input record changed.
    if (state.getCampaignId() != null || CallStates.isEnded(state)) {
      CampaignAggregate latency = null;
      for (Conversation.LatencySample sample : Conversation.latencies(state)) {
        if (!state.getLatencySent().contains(sample.id())) {
          state.getLatencySent().add(sample.id());
          latency = Contributions.addLatency(latency == null ? CampaignAggregates.empty(after.getCampaignKey()) : latency,
              sample);
        }
      }
      if (latency != null) {
        Contributions.Delta last = deltas.isEmpty() ? null : deltas.get(deltas.size() - 1);
        if (last != null && last.key().equals(after.getCampaignKey()) && last.at() == after.getAt()) {
          CampaignAggregates.add(last.change(), latency);
        } else {
          deltas.add(new Contributions.Delta(after.getCampaignKey(), after.getAt(), latency));
        }
      }
    }
    for (Contributions.Delta d : deltas) {
      d.change().setLastEventAt(state.getLastEventAt());
      send(d);
    }
    calls.write(callId, state);
    if (CallStates.isEnded(state)) {
      open.delete(callId);
      expiry.put(expiryKey(state.getEndedAt(), callId), callId);
    } else {
      open.put(callId, state.getLastSeenAt());
    }
    if (CallStates.isEnded(state) && !wasEnded) {
      changed.remove(callId);
      publish(state, score.get(), now);
    } else {
      changed.add(callId);
    }
  }

  /** Sends the delta on at once, or adds it to its campaign and bucket's sum until the next {@link #sendPending}. */
  private void send(Contributions.Delta d) {
    if (settings.campaignDeltaInterval().isZero()) {
      context.forward(new Record<>(d.key(), d.change(), d.at()));
      return;
    }
    long bucket = Math.floorDiv(d.at(), settings.deltaBucketMs()) * settings.deltaBucketMs();
    String key = bucket + "|" + d.key();
    CampaignAggregate sum = pending.live(key);
    pending.write(key, sum == null ? d.change() : CampaignAggregates.add(sum, d.change()));
    pendingKeys.add(key);
  }

  private void sendPending(long now) {
    for (String key : pendingKeys) {
      CampaignAggregate sum = pending.live(key);
      if (sum != null && !CampaignAggregates.isZero(sum)) {
        int bar = key.indexOf('|');
        context.forward(new Record<>(key.substring(bar + 1), sum, Long.parseLong(key.substring(0, bar))));
      }
      pending.remove(key);
    }
    pendingKeys.clear();
  }

  private void publishChanged(long now) {
    for (String callId : changed) {
      CallState state = calls.live(callId);
      if (state != null) {
        publish(state, scorer.score(state), now);
      }
    }
    changed.clear();
  }

  private void publish(CallState state, QaScorer.Score qa, long now) {
    context.forward(new Record<>(state.getCallId(), CallSummaries.of(state, qa, now), now));
  }

  private void sweep(long now) {
    List<String> idle = new ArrayList<>();
    long idleSince = now - settings.inactivityTimeout().toMillis();
    try (KeyValueIterator<String, Long> it = open.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> e = it.next();
        if (e.value <= idleSince) {
          idle.add(e.key);
        }
      }
    }
    for (String callId : idle) {
      CallState state = calls.live(callId);
      if (state == null) {
        open.delete(callId);
      } else if (CallStates.closeByInactivity(state)) {
        changed(state, false, now);
      }
    }
    List<KeyValue<String, String>> expired = new ArrayList<>();
    String upTo = expiryKey(now - settings.endedCallRetention().toMillis(), "\uffff");
    try (KeyValueIterator<String, String> it = expiry.range("", upTo)) {
      it.forEachRemaining(expired::add);
    }
    for (KeyValue<String, String> e : expired) {
      expiry.delete(e.key);
      CallState state = calls.live(e.value);
      // The call may have been reopened or ended again since: only forget it if it is still ended that long.
      if (state != null && CallStates.isEnded(state)
          && state.getEndedAt() <= now - settings.endedCallRetention().toMillis()) {
        calls.remove(e.value);
        changed.remove(e.value);
      }
    }
  }

  /** Sorts by end time, so the sweep reads only the expired front of the store. */
  static String expiryKey(long endedAt, String callId) {
    return String.format("%013d|%s", Math.max(0, endedAt), callId);
  }

  private String sourceTopic() {
    return context.recordMetadata().map(m -> m.topic()).orElse(null);
  }

  private static String callIdOf(SpecificRecord value) {
    if (value instanceof CallEvent e) {
      return e.getCallId();
    } else if (value instanceof Transcript t) {
      return t.getCallId();
    } else if (value instanceof DialogTurn t) {
      return t.getCallId();
    } else if (value instanceof CrmResult r) {
      return r.getCallId();
    } else if (value instanceof io.salesvoice.schema.audio.AudioChunk a) {
      return a.getCallId();
    }
    return null;
  }
}
