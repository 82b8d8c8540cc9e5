package io.salesvoice.crm;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.deadletter.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Puts a dead-lettered command back on the commands topic, once an operator fixed what made Bitrix24 refuse it
 * (granted a right, created a field). The command keeps its idempotency key: a REJECTED key is not "applied", so it
 * is written normally, and re-driving a command that meanwhile got applied answers DUPLICATE.
 */
public final class DeadLetterRedrive {

  /** What was re-driven. */
  public record Redriven(String topic, String key, String commandId, String idempotencyKey, String reason) {
  }

  /** The dead letter does not exist or holds no command (a poison record cannot be re-driven). */
  public static final class NotRedrivable extends RuntimeException {
    public NotRedrivable(String message) {
      super(message);
    }
  }

  private final KafkaSettings settings;
  private final RecordSender sender;
  private final String deadLetterTopic;
  private final Deserializer<Object> deserializer;
  private final Scheduler kafkaReads = Schedulers.newBoundedElastic(2, 16, "crm-dlq-reader");

  @SuppressWarnings("unchecked")
  public DeadLetterRedrive(KafkaSettings settings, RecordSender sender, String deadLetterTopic) {
    this.settings = settings;
    this.sender = sender;
    this.deadLetterTopic = deadLetterTopic;
    try {
      this.deserializer = Utils.newInstance(settings.valueDeserializer(), Deserializer.class);
    } catch (ClassNotFoundException e) {
      throw new KafkaException("value deserializer class not found: " + settings.valueDeserializer(), e);
    }
    deserializer.configure(settings.serdeConfig(), false);
  }

  public Mono<Redriven> redrive(int partition, long offset) {
    return Mono.fromCallable(() -> read(partition, offset))
        .subscribeOn(kafkaReads)
        .flatMap(letter -> {
          Object value = letter.getValue() == null ? null
              : deserializer.deserialize(letter.getSourceTopic(), bytes(letter.getValue()));
          if (!(value instanceof CrmCommand command)) {
            return Mono.error(new NotRedrivable(deadLetterTopic + "-" + partition + "@" + offset
                + " holds no CrmCommand (" + letter.getReason() + ")"));
          }
          return sender.send(OutboundRecord.of(letter.getSourceTopic(), letter.getKey(), command), null)
              .thenReturn(new Redriven(letter.getSourceTopic(), letter.getKey(), command.getCommandId(),
                  command.getIdempotencyKey(), letter.getReason()));
        });
  }

  private DeadLetter read(int partition, long offset) {
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("crm-dlq-redrive"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    TopicPartition tp = new TopicPartition(deadLetterTopic, partition);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      Instant deadline = Instant.now().plusSeconds(10);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            Object value = deserializer.deserialize(r.topic(), r.headers(), r.value());
            if (value instanceof DeadLetter letter) {
              return letter;
            }
            throw new NotRedrivable(deadLetterTopic + "-" + partition + "@" + offset + " is not a DeadLetter");
          }
          if (r.offset() > offset) {
            break;
          }
        }
      }
    }
    throw new NotRedrivable("no dead letter at " + deadLetterTopic + "-" + partition + "@" + offset);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }
}
