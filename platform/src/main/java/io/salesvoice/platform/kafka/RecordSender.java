package io.salesvoice.platform.kafka;

import io.salesvoice.platform.trace.TraceContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * Writes records to Kafka without blocking and tells when each one is acknowledged. One of the two types that use
 * reactor-kafka (discontinued upstream), so replacing it touches this class and {@link RecordReceiver} only.
 */
public final class RecordSender implements AutoCloseable {

  private final KafkaSender<String, Object> sender;

  private RecordSender(KafkaSender<String, Object> sender) {
    this.sender = sender;
  }

  public static RecordSender create(KafkaSettings settings) {
    SenderOptions<String, Object> options = SenderOptions.<String, Object>create(settings.producerConfig())
        // Records of one call must stay in order even when one send fails; stop the batch at the first failure.
        .stopOnError(true)
        .maxInFlight(1024);
    return new RecordSender(KafkaSender.create(options));
  }

  /**
   * Sends the records in order, each carrying a child of {@code cause} as its trace context (a new trace when
   * {@code cause} is null), and emits each record's metadata once the broker acknowledged it.
   *
   * <p>Records that turn out to be none (most inputs of most stages cause no output) complete here and never reach
   * reactor-kafka: its send of an empty flux, hopping to the sender's thread and back, did not always complete — an
   * stt-worker record with no outputs stayed "in processing" for good, and its call's later audio waited behind it.
   */
  public Flux<RecordMetadata> send(Publisher<OutboundRecord> records, TraceContext cause) {
    return Flux.from(records).switchOnFirst((first, all) -> first.hasValue()
        ? sender.send(all.map(r -> SenderRecord.create(toProducerRecord(r, cause), null)))
            .map(result -> result.recordMetadata())
        : all.thenMany(Flux.<RecordMetadata>empty()));
  }

  /** Sends one record, e.g. an edge event; completes when the broker acknowledged it. */
  public Mono<RecordMetadata> send(OutboundRecord record, TraceContext cause) {
    return send(Mono.just(record), cause).single();
  }

  private static ProducerRecord<String, Object> toProducerRecord(OutboundRecord r, TraceContext cause) {
    RecordHeaders headers = new RecordHeaders();
    r.headers().forEach(headers::add);
    if (TraceContext.from(headers).isEmpty()) {
      (cause == null ? TraceContext.newTrace() : cause.child()).writeTo(headers);
    }
    return new ProducerRecord<>(r.topic(), r.partition(), null, r.key(), r.value(), headers);
  }

  @Override
  public void close() {
    sender.close();
  }
}
