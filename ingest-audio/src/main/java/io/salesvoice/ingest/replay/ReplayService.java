package io.salesvoice.ingest.replay;

import io.salesvoice.ingest.IngestMetrics;
import io.salesvoice.ingest.IngestProperties;
import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.ingest.audio.WavFile;
import io.salesvoice.ingest.call.CallRecords;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Replays a recorded call through the pipeline for QA: {@code CallStarted} with direction REPLAY (so downstream
 * stages keep it out of live campaign figures and the CRM), the recording's chunks to {@code sva.audio.in} paced at
 * {@code speed} × real time (0 = as fast as the broker acknowledges), then {@code CallEnded(REPLAY_FINISHED)}.
 */
public final class ReplayService {

  private static final Logger log = LoggerFactory.getLogger(ReplayService.class);

  /** What the caller asked for, beside the recording. */
  public record Request(double speed, String callId, String campaignId, String language, String scriptId,
                        Channel leftChannel, Map<String, String> parameters) {
  }

  private final IngestProperties properties;
  private final String instanceId;
  private final RecordSender sender;
  private final ReplyPartitions replyPartitions;
  private final IngestMetrics metrics;
  private final Map<String, Tracker> replays;

  public ReplayService(IngestProperties properties, String instanceId, RecordSender sender,
                       ReplyPartitions replyPartitions, IngestMetrics metrics) {
    this.properties = properties;
    this.instanceId = instanceId;
    this.sender = sender;
    this.replyPartitions = replyPartitions;
    this.metrics = metrics;
    int keep = properties.replay().keep();
    this.replays = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Tracker> eldest) {
        return size() > keep && !eldest.getValue().running();
      }
    });
  }

  /** Parses and plans the recording (throws on bad audio, before anything is sent), then starts the replay. */
  public ReplayStatus start(byte[] recording, Request request) {
    WavFile wav = WavFile.parse(recording);
    AudioFormat target = new AudioFormat(AudioCodec.PCM16, properties.inboundSampleRate());
    int chunkMs = (int) properties.replay().chunk().toMillis();
    ReplayPlan plan = ReplayPlan.of(wav, target, chunkMs,
        request.leftChannel() != null ? request.leftChannel() : properties.replay().leftChannel());
    String id = UUID.randomUUID().toString();
    String callId = request.callId() != null ? request.callId() : "replay-" + id;
    Tracker tracker = new Tracker(id, callId, request.speed(), wav.channels(), plan);
    replays.put(id, tracker);
    run(tracker, plan, target, request).subscribe();
    return tracker.status();
  }

  public Optional<ReplayStatus> status(String id) {
    return Optional.ofNullable(replays.get(id)).map(Tracker::status);
  }

  private Mono<Void> run(Tracker tracker, ReplayPlan plan, AudioFormat target, Request request) {
    CallRecords records = new CallRecords(tracker.callId, request.campaignId());
    TraceContext trace = TraceContext.newTrace();
    long startNanos = System.nanoTime();
    Flux<OutboundRecord> chunks = Flux.fromIterable(plan.pieces())
        .concatMap(p -> {
          OutboundRecord r = records.chunk(p.channel(), p.seq(), target, p.mediaTimeMs(), p.data(), Instant.now());
          if (request.speed() <= 0) {
            return Mono.just(r);
          }
          long dueNanos = startNanos + (long) (p.mediaTimeMs() * 1_000_000L / request.speed());
          long wait = dueNanos - System.nanoTime();
          return wait <= 0 ? Mono.just(r) : Mono.delay(Duration.ofNanos(wait)).thenReturn(r);
        }, 1);
    return replyPartitions.next(properties.replyPartitionWait()).defaultIfEmpty(-1)
        .flatMapMany(partition -> {
          Map<String, String> params = new HashMap<>(request.parameters());
          params.put("replayId", tracker.id);
          params.put("speed", Double.toString(request.speed()));
          CallStarted started = CallStarted.newBuilder()
              .setDirection(CallDirection.REPLAY)
              .setProvider("replay")
              .setLanguage(request.language() != null ? request.language() : properties.language())
              .setCodec(target.codec())
              .setSampleRate(target.sampleRate())
              .setGatewayInstance(instanceId)
              .setReplyPartition(partition)
              .setScriptId(request.scriptId())
              .setParameters(params)
              .build();
          Flux<OutboundRecord> all = Flux.concat(
              Mono.fromSupplier(() -> records.started(started, Instant.now())),
              chunks,
              Mono.fromSupplier(() -> records.ended(CallEndReason.REPLAY_FINISHED, "replay " + tracker.id,
                  plan.durationMs(), Instant.now())));
          return sender.send(all, trace);
        })
        .doOnNext(metadata -> {
          if (metadata.topic().equals(io.salesvoice.platform.topics.Topics.AUDIO_IN)) {
            tracker.sent.incrementAndGet();
            metrics.chunkIn("replay");
          }
        })
        .then()
        .doOnSuccess(v -> tracker.finish(null))
        .onErrorResume(e -> {
          log.warn("Replay {} of call {} failed: {}", tracker.id, tracker.callId, e.toString());
          tracker.finish(e.getClass().getSimpleName() + ": " + e.getMessage());
          return Mono.empty();
        });
  }

  private static final class Tracker {
    final String id;
    final String callId;
    final double speed;
    final int channels;
    final long durationMs;
    final long total;
    final Instant startedAt = Instant.now();
    final AtomicLong sent = new AtomicLong();
    volatile Instant finishedAt;
    volatile String error;

    Tracker(String id, String callId, double speed, int channels, ReplayPlan plan) {
      this.id = id;
      this.callId = callId;
      this.speed = speed;
      this.channels = channels;
      this.durationMs = plan.durationMs();
      this.total = plan.pieces().size();
    }

    boolean running() {
      return finishedAt == null;
    }

    void finish(String failure) {
      error = failure;
      finishedAt = Instant.now();
    }

    ReplayStatus status() {
      String state = finishedAt == null ? "RUNNING" : error == null ? "FINISHED" : "FAILED";
      return new ReplayStatus(id, callId, state, speed, channels, durationMs, total, sent.get(), startedAt,
          finishedAt, error);
    }
  }
}
