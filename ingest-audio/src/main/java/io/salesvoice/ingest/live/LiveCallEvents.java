package io.salesvoice.ingest.live;

import io.salesvoice.ingest.IngestMetrics;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordReceiver;
import io.salesvoice.platform.kafka.RecordReceiver.StartOffset;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One call's live view for the browser test client: its transcripts ({@code sva.transcripts}) and dialog turns
 * ({@code sva.dialog.turns}) as server-sent events, from the moment the viewer connects. Records are keyed by callId
 * with the default partitioner, so each viewer reads only the call's partition of each topic (no consumer group, from
 * the end offset) and keeps the records of its call; its consumer is closed when the viewer goes away.
 */
public final class LiveCallEvents {

  private static final Logger log = LoggerFactory.getLogger(LiveCallEvents.class);
  static final List<String> TOPICS = List.of(Topics.TRANSCRIPTS, Topics.DIALOG_TURNS);

  private final KafkaSettings settings;
  private final Admin admin;
  private final Deserializer<Object> deserializer;
  private final IngestMetrics metrics;
  private final int maxViewers;
  private final Duration heartbeat;
  private final AtomicInteger viewers = new AtomicInteger();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  public LiveCallEvents(KafkaSettings settings, Admin admin, Deserializer<Object> deserializer, IngestMetrics metrics,
                        int maxViewers, Duration heartbeat) {
    this.settings = settings;
    this.admin = admin;
    this.deserializer = deserializer;
    this.metrics = metrics;
    this.maxViewers = maxViewers;
    this.heartbeat = heartbeat;
    metrics.registry().gauge("sva.ingest.live_view.viewers", viewers);
  }

  /** Thrown when this instance already serves {@code max-viewers} live views. */
  public static final class TooManyViewersException extends RuntimeException {
    TooManyViewersException(int max) {
      super("this instance already serves " + max + " live views (sva.ingest.live-view.max-viewers); try later");
    }
  }

  /**
   * The call's events: first {@code ready} (the partitions and offsets it reads from — nothing written after it is
   * missed), then {@code transcript} and {@code turn} events as they are written, with a comment as heartbeat.
   */
  public Flux<ServerSentEvent<Object>> follow(String callId) {
    if (viewers.incrementAndGet() > maxViewers) {
      viewers.decrementAndGet();
      metrics.rejected("live_view", "too_many_viewers");
      throw new TooManyViewersException(maxViewers);
    }
    return partitionsOf(callId)
        .flatMapMany(partitions -> {
          Sinks.One<Map<TopicPartition, Long>> positioned = Sinks.one();
          Flux<ServerSentEvent<Object>> ready = positioned.asMono().map(p -> readyEvent(callId, p)).flux();
          Flux<ServerSentEvent<Object>> records = RecordReceiver.assign(settings, partitions, StartOffset.LATEST,
                  positioned::tryEmitValue)
              .receive()
              .filter(r -> callId.equals(r.record().key()))
              .concatMap(r -> Mono.justOrEmpty(event(r.record())));
          return Flux.merge(ready, records);
        })
        .mergeWith(Flux.interval(heartbeat).map(i -> ServerSentEvent.builder().comment("heartbeat").build()))
        .doFinally(signal -> viewers.decrementAndGet());
  }

  private Mono<List<TopicPartition>> partitionsOf(String callId) {
    List<String> unknown = TOPICS.stream().filter(t -> !partitionCounts.containsKey(t)).toList();
    Mono<Void> described = unknown.isEmpty() ? Mono.empty()
        : Mono.fromFuture(() -> admin.describeTopics(unknown).allTopicNames().toCompletionStage().toCompletableFuture())
            .doOnNext(d -> d.forEach((t, desc) -> partitionCounts.put(t, desc.partitions().size())))
            .then();
    return described.then(Mono.fromSupplier(() -> {
      List<TopicPartition> out = new ArrayList<>();
      for (String t : TOPICS) {
        out.add(new TopicPartition(t, CallPartitions.partitionFor(callId, partitionCounts.get(t))));
      }
      return out;
    }));
  }

  private static ServerSentEvent<Object> readyEvent(String callId, Map<TopicPartition, Long> positions) {
    Map<String, Object> from = new LinkedHashMap<>();
    positions.forEach((tp, offset) -> from.put(tp.toString(), offset));
    return ServerSentEvent.builder().event("ready").data((Object) Map.of("callId", callId, "from", from)).build();
  }

  private java.util.Optional<ServerSentEvent<Object>> event(ConsumerRecord<String, byte[]> record) {
    Object value;
    try {
      value = deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      metrics.rejected("live_view", "undecodable");
      log.warn("Live view skips an undecodable record at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.toString());
      return java.util.Optional.empty();
    }
    String id = record.partition() + "-" + record.offset();
    if (value instanceof Transcript t) {
      return java.util.Optional.of(ServerSentEvent.builder().event("transcript").id(record.topic() + "-" + id)
          .data((Object) LiveEventJson.transcript(t)).build());
    }
    if (value instanceof DialogTurn d) {
      return java.util.Optional.of(ServerSentEvent.builder().event("turn").id(record.topic() + "-" + id)
          .data((Object) LiveEventJson.turn(d)).build());
    }
    return java.util.Optional.empty();
  }
}
