package io.salesvoice.platform.stack;

import io.salesvoice.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plain, blocking Kafka clients for tests and tools around a stack: create topics, put records (Avro or raw bytes),
 * read what a stage wrote. Never for production paths.
 */
public final class StackClients implements AutoCloseable {

  private final KafkaSettings settings;
  private final Admin admin;
  private final KafkaProducer<String, Object> producer;
  private final KafkaProducer<String, byte[]> rawProducer;

  public StackClients(KafkaStack stack) {
    this.settings = KafkaSettings.of(stack.bootstrapServers(), stack.schemaRegistryUrl(), "sva-test");
    this.admin = Admin.create(settings.adminConfig());
    this.producer = new KafkaProducer<>(settings.producerConfig());
    Map<String, Object> raw = new HashMap<>(settings.producerConfig());
    raw.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.rawProducer = new KafkaProducer<>(raw);
  }

  public KafkaSettings settings() {
    return settings;
  }

  /** Creates a topic with a unique name starting with {@code prefix}, and its dead-letter topic. */
  public String createTopicWithDeadLetters(String prefix, int partitions) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    createTopics(partitions, name, name + ".dlq");
    return name;
  }

  public void createTopics(int partitions, String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String n : names) {
      topics.add(new NewTopic(n, partitions, (short) 1));
    }
    get(admin.createTopics(topics).all());
  }

  public RecordMetadata send(String topic, String key, Object value) {
    return get(producer.send(new ProducerRecord<>(topic, key, value)));
  }

  /** Sends a record as given, e.g. with headers. */
  public RecordMetadata sendWithHeaders(ProducerRecord<String, Object> record) {
    return get(producer.send(record));
  }

  public RecordMetadata sendRaw(String topic, String key, byte[] value) {
    return get(rawProducer.send(new ProducerRecord<>(topic, key, value)));
  }

  /** Sends bytes as given, e.g. to a chosen partition or with a null value. */
  public RecordMetadata sendRaw(ProducerRecord<String, byte[]> record) {
    return get(rawProducer.send(record));
  }

  /** Reads {@code topic} from the beginning until {@code count} records arrived or {@code timeout} passed. */
  public List<ConsumerRecord<String, Object>> read(String topic, int count, Duration timeout) {
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("sva-test-" + UUID.randomUUID()));
    config.putAll(settings.serdeConfig());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, settings.valueDeserializer());
    List<ConsumerRecord<String, Object>> records = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plus(timeout);
      while (records.size() < count && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  @Override
  public void close() {
    producer.close();
    rawProducer.close();
    admin.close();
  }

  private static <T> T get(java.util.concurrent.Future<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
