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
import io.salesvoice.stt.transcription.CallTranscriber;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code sva.audio.in} (and {@code sva.calls} for each call's language and end) → {@code sva.transcripts}, key callId,
 * at-least-once, one call's records in order and calls of a partition in parallel up to a bound; records that cannot
 * be decoded or transcribed go to {@code <topic>.dlq} with the reason. Idle calls are flushed by a timer.
 */
public final class TranscriptionStage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TranscriptionStage.class);

  /**
   * Topics and parallelism.
   *
   * @param callsPerPartition calls of one partition transcribed at once
   * @param idleCheck how often idle calls are looked for
   */
  public record Topology(String audioIn, String calls, String transcripts, String groupId, int callsPerPartition,
      Duration idleCheck) {
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
    this.stage = Stage.builder("stt-worker", SpecificRecord.class)
        .groupId(topology.groupId())
        .consume(topology.audioIn(), topology.calls())
        .expectKey(TranscriptionStage::callIdOf)
        .process(this::process)
        .kafka(settings, sender)
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
    sweeper = Flux.interval(topology.idleCheck(), Schedulers.parallel())
        .onBackpressureDrop()
        .concatMap(tick -> sender.send(transcriber.evictIdle().map(this::toRecord), null)
            .onErrorResume(e -> {
              log.warn("stt-worker: finals of idle calls could not be written: {}", e.toString());
              return Flux.empty();
            }), 1)
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
    return null;
  }
}
