package io.salesvoice.ingest.playback;

import io.salesvoice.ingest.IngestMetrics;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordReceiver;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/**
 * {@code sva.audio.out} → the caller's socket. Every ingest instance joins one consumer group, so each owns a share
 * of the partitions (no broadcast); a new call names one of this instance's partitions as its reply partition, and
 * each chunk read is routed by callId to the live call's {@link Playback}. Offsets are committed once the chunk is
 * queued for playback or dropped: agent audio is worth nothing after its moment, so a restarted instance does not
 * replay it. Chunks for calls not live here (ended, or moved by a rebalance) are dropped and counted.
 */
public final class AgentAudioRouter implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AgentAudioRouter.class);

  private final RecordReceiver receiver;
  private final LiveCalls calls;
  private final IngestMetrics metrics;
  private final Deserializer<Object> deserializer;
  private volatile Disposable running;

  public AgentAudioRouter(KafkaSettings settings, String groupId, LiveCalls calls, ReplyPartitions partitions,
                          IngestMetrics metrics) {
    this.calls = calls;
    this.metrics = metrics;
    this.receiver = RecordReceiver.create(settings, groupId, List.of(Topics.AUDIO_OUT), false,
        assigned -> {
          log.info("Owns {} partitions of {}: {}", assigned.size(), Topics.AUDIO_OUT, numbers(assigned));
          partitions.assigned(numbers(assigned));
        },
        revoked -> {
          log.info("Gave up partitions of {}: {}", Topics.AUDIO_OUT, numbers(revoked));
          partitions.revoked(numbers(revoked));
        });
    this.deserializer = newDeserializer(settings);
  }

  @Override
  public void start() {
    running = receiver.receive()
        .doOnNext(received -> {
          route(received.record());
          received.acknowledge();
        })
        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(10))
            .doBeforeRetry(s -> log.warn("Agent audio consumer failed, reconnecting: {}", s.failure().toString())))
        .subscribe();
  }

  void route(ConsumerRecord<String, byte[]> record) {
    Object value;
    try {
      value = deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      metrics.playbackDropped("undecodable");
      log.warn("Undecodable agent audio at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          e.toString());
      return;
    }
    if (!(value instanceof AudioChunk chunk)) {
      metrics.playbackDropped("not_audio");
      return;
    }
    calls.get(chunk.getCallId()).ifPresentOrElse(
        call -> {
          Playback.Outcome outcome = call.playback().enqueue(chunk);
          if (outcome != Playback.Outcome.QUEUED) {
            metrics.playbackDropped(outcome.name().toLowerCase(java.util.Locale.ROOT));
          }
        },
        () -> metrics.playbackDropped("no_live_call"));
  }

  @Override
  public void stop() {
    Disposable d = running;
    if (d != null) {
      d.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }

  private static List<Integer> numbers(Collection<TopicPartition> partitions) {
    return partitions.stream().filter(p -> p.topic().equals(Topics.AUDIO_OUT)).map(TopicPartition::partition)
        .sorted().toList();
  }

  @SuppressWarnings("unchecked")
  private static Deserializer<Object> newDeserializer(KafkaSettings settings) {
    try {
      Deserializer<Object> d = Utils.newInstance(settings.valueDeserializer(), Deserializer.class);
      d.configure(settings.serdeConfig(), false);
      return d;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("value deserializer not found: " + settings.valueDeserializer(), e);
    }
  }
}
