package io.salesvoice.ingest.it;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.stack.KafkaStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads one call's records (by key) from a topic of the test broker, from the beginning. */
final class CallReader {

  private CallReader() {
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> read(KafkaStack stack, String topic, String callId, Class<T> type, Predicate<List<T>> done,
                          Duration timeout) {
    KafkaSettings settings = KafkaSettings.of(stack.bootstrapServers(), stack.schemaRegistryUrl(), "sva-test");
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("sva-test-" + UUID.randomUUID()));
    config.putAll(settings.serdeConfig());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, settings.valueDeserializer());
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plus(timeout);
      while (!done.test(out) && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
          if (callId.equals(r.key()) && type.isInstance(r.value())) {
            out.add((T) r.value());
          }
        }
      }
    }
    return out;
  }
}
