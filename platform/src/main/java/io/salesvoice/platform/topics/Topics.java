package io.salesvoice.platform.topics;

import io.salesvoice.schema.analytics.CallSummary;
import io.salesvoice.schema.analytics.CampaignStats;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.deadletter.DeadLetter;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.DoNotCallEntry;
import io.salesvoice.schema.dialer.Lead;
import io.salesvoice.schema.dialer.LeadState;
import io.salesvoice.schema.dialog.DialogState;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.telephony.PlacedCall;
import io.salesvoice.schema.transcript.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The topic catalogue: every topic is named here once, and workers, tests and the local stack create them from it. */
public final class Topics {

  public static final String CALLS = "sva.calls";
  public static final String AUDIO_IN = "sva.audio.in";
  public static final String TRANSCRIPTS = "sva.transcripts";
  public static final String DIALOG_TURNS = "sva.dialog.turns";
  public static final String AUDIO_OUT = "sva.audio.out";
  public static final String CRM_COMMANDS = "sva.crm.commands";
  public static final String CRM_RESULTS = "sva.crm.results";
  /** Key = callId: outbound calls the dialer asks a telephony adapter to place. */
  public static final String DIALER_REQUESTS = "sva.dialer.requests";
  /** Compacted, key = idempotency key: the CRM writes already applied, so a redelivered command is not applied twice. */
  public static final String CRM_APPLIED = "sva.crm.applied";
  /**
   * Compacted, key = callId: the calls a telephony adapter placed or tried to place. A provider's start is not
   * idempotent, so a redelivered CallRequest must find its entry here instead of starting a second call.
   */
  public static final String TELEPHONY_PLACED = "sva.telephony.placed";
  /** Compacted, key = callId: where each conversation stands, so another dialog-worker instance can continue it. */
  public static final String DIALOG_STATE = "sva.dialog.state";
  /** Compacted, key = campaignId: the dialer's campaigns and their status; its partitions decide which dialer owns a campaign. */
  public static final String DIALER_CAMPAIGNS = "sva.dialer.campaigns";
  /** Compacted, key = campaignId/leadId, in the campaign's partition: the uploaded leads of every campaign. */
  public static final String DIALER_LEADS = "sva.dialer.leads";
  /**
   * Compacted, key = campaignId/leadId, in the campaign's partition: each lead's dialling progress, written in one Kafka
   * transaction with its CallRequest, so a restarted dialer neither loses nor repeats a call.
   */
  public static final String DIALER_LEAD_STATE = "sva.dialer.lead.state";
  /** Compacted, key = phone number (E.164): the global do-not-call list the dialer honours at dial time. */
  public static final String DIALER_DO_NOT_CALL = "sva.dialer.do-not-call";
  /** Key = campaignId: campaign figures per window, from analytics-stream. */
  public static final String ANALYTICS_CAMPAIGNS = "sva.analytics.campaigns";
  /** Key = callId: per-call timeline, outcome and QA score, from analytics-stream. */
  public static final String ANALYTICS_CALLS = "sva.analytics.calls";

  /** Suffix of a stage's dead-letter topic: records of {@code t} that cannot be processed go to {@code t.dlq}. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private static final Duration DAY = Duration.ofDays(1);

  // Partitions bound how many instances of the consuming worker can share the load.
  private static final List<TopicSpec> PIPELINE = List.of(
      new TopicSpec(CALLS, 12, DAY.multipliedBy(7), false, CallEvent.getClassSchema()),
      // Audio is the bulk of the bytes and has no value once the call is transcribed and recorded.
      new TopicSpec(AUDIO_IN, 12, DAY, false, AudioChunk.getClassSchema()),
      new TopicSpec(TRANSCRIPTS, 12, DAY.multipliedBy(7), false, Transcript.getClassSchema()),
      new TopicSpec(DIALOG_TURNS, 12, DAY.multipliedBy(7), false, DialogTurn.getClassSchema()),
      new TopicSpec(AUDIO_OUT, 12, DAY, false, AudioChunk.getClassSchema()),
      // CRM commands wait here while Bitrix24 is down: keep them long enough to outlast an outage.
      new TopicSpec(CRM_COMMANDS, 6, DAY.multipliedBy(14), false, CrmCommand.getClassSchema()),
      new TopicSpec(CRM_RESULTS, 6, DAY.multipliedBy(14), false, CrmResult.getClassSchema()),
      // A request is worthless once its calling window has passed.
      new TopicSpec(DIALER_REQUESTS, 6, DAY, false, CallRequest.getClassSchema()));

  /** State that must outlive a worker instance, and the views published for other consumers. */
  private static final List<TopicSpec> STATE_AND_VIEWS = List.of(
      new TopicSpec(CRM_APPLIED, 6, DAY.multipliedBy(14), true, CrmResult.getClassSchema()),
      // Same partitions as the requests; one entry per call, kept while the dialer may redeliver its request.
      new TopicSpec(TELEPHONY_PLACED, 6, DAY.multipliedBy(14), true, PlacedCall.getClassSchema()),
      new TopicSpec(DIALOG_STATE, 12, DAY.multipliedBy(7), true, DialogState.getClassSchema()),
      // Leads and lead states are written to their campaign's partition: all three need the same partition count.
      new TopicSpec(DIALER_CAMPAIGNS, 6, DAY.multipliedBy(30), true, Campaign.getClassSchema()),
      new TopicSpec(DIALER_LEADS, 6, DAY.multipliedBy(30), true, Lead.getClassSchema()),
      new TopicSpec(DIALER_LEAD_STATE, 6, DAY.multipliedBy(30), true, LeadState.getClassSchema()),
      new TopicSpec(DIALER_DO_NOT_CALL, 1, DAY.multipliedBy(30), true, DoNotCallEntry.getClassSchema()),
      new TopicSpec(ANALYTICS_CAMPAIGNS, 6, DAY.multipliedBy(30), false, CampaignStats.getClassSchema()),
      new TopicSpec(ANALYTICS_CALLS, 12, DAY.multipliedBy(30), false, CallSummary.getClassSchema()));

  /** Every consumed topic has a dead-letter topic; dead letters are kept long enough for someone to look. */
  private static final List<TopicSpec> DEAD_LETTERS = PIPELINE.stream()
      .filter(t -> !t.name().equals(CRM_RESULTS))
      .map(t -> new TopicSpec(deadLetterOf(t.name()), 1, DAY.multipliedBy(30), false, DeadLetter.getClassSchema()))
      .toList();

  public static final List<TopicSpec> ALL = Stream.of(PIPELINE, STATE_AND_VIEWS, DEAD_LETTERS)
      .flatMap(List::stream).toList();

  private Topics() {
  }

  public static String deadLetterOf(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }

  public static Optional<TopicSpec> find(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static TopicSpec get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("not in the topic catalogue: " + name));
  }
}
