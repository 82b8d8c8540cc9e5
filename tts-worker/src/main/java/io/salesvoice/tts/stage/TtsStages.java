package io.salesvoice.tts.stage;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.tts.audio.OutputFormat;
import java.util.Collection;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The worker's two stages.
 * <ul>
 *   <li><b>speech</b>: {@code sva.dialog.turns} → {@code sva.audio.out}, key callId, each record written to the
 *   partition the call's gateway owns; calls of a partition in parallel, one call's turn chunks in order;
 *   at-least-once (offsets committed after the audio is acknowledged), with redelivered chunks dropped; a turn that
 *   cannot be spoken → {@code sva.dialog.turns.dlq}.</li>
 *   <li><b>call events</b>: {@code sva.calls}, read by every instance in a group of its own (a barge-in must reach the
 *   instance speaking the turn, whichever it is) → the {@link CallRegistry}: format, reply partition, barge-in, end.
 *   Nothing is written; undecodable events → {@code sva.calls.dlq}.</li>
 * </ul>
 */
public final class TtsStages implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TtsStages.class);

  /** The topics, the catalogue's by default; tests use their own. */
  public record TopicNames(String turns, String calls, String audioOut) {
    public static TopicNames catalogue() {
      return new TopicNames(Topics.DIALOG_TURNS, Topics.CALLS, Topics.AUDIO_OUT);
    }
  }

  /**
   * @param groupId                 consumer group of the speech stage, shared by all instances
   * @param instanceId              names this instance's own call-events group
   * @param callsOffsetReset        where a new call-events group starts: {@code latest} (calls started from now on) or
   *                                {@code earliest} (the topic's whole retention)
   * @param concurrencyPerPartition calls of one partition spoken at once
   */
  public record Settings(String groupId, String instanceId, String callsOffsetReset, int concurrencyPerPartition,
                         TopicNames topics) {
  }

  private final TurnSpeaker speaker;
  private final CallRegistry calls;
  private final OutputFormat defaultFormat;
  private final Settings settings;
  private final Stage<DialogTurn> speech;
  private final Stage<CallEvent> callEvents;
  private Disposable running;

  public TtsStages(TurnSpeaker speaker, CallRegistry calls, OutputFormat defaultFormat, KafkaSettings kafka,
                   RecordSender sender, MeterRegistry meters, Settings settings,
                   Consumer<Collection<TopicPartition>> onCallsAssigned) {
    this.speaker = speaker;
    this.calls = calls;
    this.defaultFormat = defaultFormat;
    this.settings = settings;
    this.speech = Stage.builder(settings.groupId(), DialogTurn.class)
        .consume(settings.topics().turns())
        .expectKey(DialogTurn::getCallId)
        .concurrencyPerPartition(settings.concurrencyPerPartition())
        .process(this::speak)
        .kafka(kafka, sender)
        .metrics(meters)
        .build();
    this.callEvents = Stage.builder(settings.groupId() + "-calls-" + settings.instanceId(), CallEvent.class)
        .consume(settings.topics().calls())
        .expectKey(CallEvent::getCallId)
        .process(this::track)
        .kafka(kafka.withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.callsOffsetReset()), sender)
        .metrics(meters)
        .onPartitionsAssigned(onCallsAssigned)
        .build();
  }

  /** Starts both stages; they run until {@link #close()}. */
  public synchronized void start() {
    if (running == null) {
      running = reactor.core.Disposables.composite(callEvents.start(), speech.start());
      log.info("tts-worker speaks {} to {} with {}, call events from {}", settings.topics().turns(),
          settings.topics().audioOut(), speaker.engineName(), settings.topics().calls());
    }
  }

  /** The speech stage's outcomes, for tests that watch it instead of starting it. */
  public Flux<Stage.Outcome> runSpeech() {
    return speech.run();
  }

  public Flux<Stage.Outcome> runCallEvents() {
    return callEvents.run();
  }

  Publisher<OutboundRecord> speak(InboundRecord<DialogTurn> record) {
    DialogTurn turn = record.value();
    return speaker.speak(turn).map(chunk -> route(turn, chunk));
  }

  private OutboundRecord route(DialogTurn turn, AudioChunk chunk) {
    OutboundRecord out = OutboundRecord.of(settings.topics().audioOut(), turn.getCallId(), chunk);
    return speaker.replyPartition(turn).map(out::toPartition).orElse(out);
  }

  Publisher<OutboundRecord> track(InboundRecord<CallEvent> record) {
    CallEvent event = record.value();
    String callId = event.getCallId();
    Object e = event.getEvent();
    if (e instanceof CallStarted started) {
      calls.started(callId, format(started), started.getReplyPartition(), event.getCampaignId());
    } else if (e instanceof BargeIn bargeIn) {
      calls.bargeIn(callId, bargeIn.getTurnId());
    } else if (e instanceof CallEnded) {
      calls.ended(callId);
    }
    return Flux.empty();
  }

  private OutputFormat format(CallStarted started) {
    AudioCodec codec = started.getCodec();
    try {
      return OutputFormat.of(codec, started.getSampleRate());
    } catch (IllegalArgumentException e) {
      log.warn("call format {}/{} cannot be produced ({}); speaking {}", codec, started.getSampleRate(),
          e.getMessage(), defaultFormat);
      return defaultFormat;
    }
  }

  @Override
  public synchronized void close() {
    if (running != null) {
      running.dispose();
      running = null;
    }
  }
}
