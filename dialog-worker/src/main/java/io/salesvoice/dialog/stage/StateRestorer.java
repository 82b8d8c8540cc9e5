package io.salesvoice.dialog.stage;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.schema.dialog.DialogState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code sva.dialog.state} partitions from the beginning to their end, the way a Kafka Streams
 * state store restores from its changelog: the latest state of every call, tombstones removing calls.
 */
final class StateRestorer {

  private static final Logger log = LoggerFactory.getLogger(StateRestorer.class);

  private final KafkaSettings settings;
  private final String topic;
  private final Duration timeout;

  StateRestorer(KafkaSettings settings, String topic, Duration timeout) {
    this.settings = settings;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** The latest state per call id in these partitions, with the partition it lives in. */
  Map<String, Restored> restore(Collection<Integer> partitions) {
    Map<String, Restored> states = new LinkedHashMap<>();
    if (partitions.isEmpty()) {
      return states;
    }
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("unused"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.putAll(settings.serdeConfig());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, settings.valueDeserializer());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-state-restore");
    List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    long started = System.nanoTime();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      Instant deadline = Instant.now().plus(timeout);
      while (!caughtUp(consumer, end)) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("restoring " + topic + " " + partitions + " took longer than " + timeout);
        }
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.value() == null) {
            states.remove(r.key());
          } else if (r.value() instanceof DialogState d) {
            states.put(r.key(), new Restored(d, r.partition()));
          }
        }
      }
    }
    log.info("Restored {} call states from {} partitions {} in {} ms", states.size(), topic, partitions,
        (System.nanoTime() - started) / 1_000_000);
    return states;
  }

  private static boolean caughtUp(KafkaConsumer<String, Object> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** A call's state and the partition it was read from. */
  record Restored(DialogState state, int partition) {
  }
}
