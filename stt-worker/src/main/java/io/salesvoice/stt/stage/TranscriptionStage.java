package io.salesvoice.stt.stage;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.stt.transcription.CallTranscriber;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code sva.audio.in} (and {@code sva.calls} for each call's language and end, {@code sva.dialog.turns} for the phrases
 * the dialog expects next) → {@code sva.transcripts}, key callId, at-least-once, one call's records in order and calls
 * of a partition in parallel up to a bound; records that cannot be decoded or transcribed go to {@code <topic>.dlq}
 * with the reason. Idle calls are flushed by a timer.
 *
 * <p>The inputs are assigned together ({@link RangeAssignor}: with equal partition counts, 12 in the catalogue, an
 * instance holds the same partition numbers of each), so a call's expected phrases reach the instance that
 * transcribes its audio.
 */
public final class TranscriptionStage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TranscriptionStage.class);

  /**
   * Topics and parallelism.
   *
   * @param dialogTurns the dialog's turns, read for their expected phrases; null to transcribe without them
   * @param callsPerPartition calls of one partition transcribed at once
   * @param idleCheck how often idle calls are looked for
   */
  public record Topology(String audioIn, String calls, String dialogTurns, String transcripts, String groupId,
      int callsPerPartition, Duration idleCheck) {

    /** Without the dialog's turns: every utterance is recognized without expected phrases. */
    public Topology(String audioIn, String calls, String transcripts, String groupId, int callsPerPartition,
        Duration idleCheck) {
      this(audioIn, calls, null, transcripts, groupId, callsPerPartition, idleCheck);
    }
  }

  private final CallTranscriber transcriber;
  private final Topology topology;
  private final RecordSender sender;
  private final Stage<SpecificRecord> stage;
  private Disposable running;
  private Disposable sweeper;

  public TranscriptionStage(CallTranscriber transcriber, Topology topology, KafkaSettings settings,
      RecordSender sender, MeterRegistry meters) {
    this.transcriber = transcriber;
    this.topology = topology;
    this.sender = sender;
    String[] inputs = topology.dialogTurns() == null
        ? new String[] {topology.audioIn(), topology.calls()}
        : new String[] {topology.audioIn(), topology.calls(), topology.dialogTurns()};
    KafkaSettings coPartitioned = settings.withProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        RangeAssignor.class.getName());
    this.stage = Stage.builder("stt-worker", SpecificRecord.class)
        .groupId(topology.groupId())
        .consume(inputs)
        .expectKey(TranscriptionStage::callIdOf)
        .process(this::process)
        .kafka(coPartitioned, sender)
        .metrics(meters)
        .concurrencyPerPartition(topology.callsPerPartition())
        .build();
  }

  /** The stage's flux of outcomes, for tests that watch it; {@link #start()} subscribes it. */
  public Flux<Stage.Outcome> run() {
    return stage.run();
  }

  public synchronized void start() {
    if (running != null) {
      return;
    }
    running = stage.start();
    // Each tick flushes what is idle then and does not wait for the finals before the next: a final may wait for a
    // decoder that an utterance of a call going idle later still holds, and only a later tick frees it (waiting for
    // the finals one tick at a time once hung every call of the instance for good).
    sweeper = Flux.interval(topology.idleCheck(), Schedulers.parallel())
        .flatMap(tick -> sender.send(transcriber.evictIdle().map(this::toRecord), null)
            .onErrorResume(e -> {
              log.warn("stt-worker: finals of idle calls could not be written: {}", e.toString());
              return Flux.empty();
            }), Integer.MAX_VALUE)
        .subscribe();
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.dispose();
    }
    if (running != null) {
      running.dispose();
    }
    running = null;
    sweeper = null;
  }

  Publisher<OutboundRecord> process(InboundRecord<SpecificRecord> record) {
    SpecificRecord value = record.value();
    if (value instanceof AudioChunk chunk) {
      return transcriber.onAudio(chunk).map(this::toRecord);
    }
    if (value instanceof CallEvent event) {
      if (event.getEvent() instanceof CallStarted started) {
        transcriber.onCallStarted(event.getCallId(), started.getLanguage());
      } else if (event.getEvent() instanceof CallEnded ended) {
        return transcriber.onCallEnded(event.getCallId(), ended.getDurationMs()).map(this::toRecord);
      }
      return Flux.empty();
    }
    if (value instanceof DialogTurn turn) {
      if (turn.getLastChunk()) {
        transcriber.onExpectedPhrases(turn.getCallId(), turn.getExpectedPhrases());
      }
      return Flux.empty();
    }
    throw new IllegalArgumentException("unexpected record " + value.getSchema().getFullName());
  }

  private OutboundRecord toRecord(io.salesvoice.schema.transcript.Transcript t) {
    return OutboundRecord.of(topology.transcripts(), t.getCallId(), t);
  }

  private static String callIdOf(SpecificRecord value) {
    if (value instanceof AudioChunk chunk) {
      return chunk.getCallId();
    }
    if (value instanceof CallEvent event) {
      return event.getCallId();
    }
    if (value instanceof DialogTurn turn) {
      return turn.getCallId();
    }
    return null;
  }
}
