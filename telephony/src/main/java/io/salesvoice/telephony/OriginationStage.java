package io.salesvoice.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.telephony.domain.Originator;
import io.salesvoice.telephony.domain.ProviderUnavailable;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * sva.dialer.requests → the telephony provider (Voximplant's StartScenarios), key callId, read_committed (the dialer
 * writes in transactions), at-least-once delivery made at-most-once in effect by the ledger sva.telephony.placed.
 * Expired requests and refused calls become {@code CallEnded(ERROR)} on sva.calls so the dialer frees the slot; refused
 * and uncertain ones also go to sva.dialer.requests.dlq with the reason. While the provider is limited or down the
 * request is retried with backoff and its partition waits.
 */
public final class OriginationStage {

  /** The topics of the stage; tests use their own. */
  public record TelephonyTopics(String requests, String calls, String placed) {
    public static TelephonyTopics catalogue() {
      return new TelephonyTopics(Topics.DIALER_REQUESTS, Topics.CALLS, Topics.TELEPHONY_PLACED);
    }
  }

  /** The stage's consumer group; every telephony instance shares the partitions. */
  public static final String NAME = "telephony";

  private final TelephonyTopics topics;
  private final Originator originator;
  private final RecordSender sender;
  private final MeterRegistry meters;

  public OriginationStage(TelephonyTopics topics, Originator originator, RecordSender sender, MeterRegistry meters) {
    this.topics = topics;
    this.originator = originator;
    this.sender = sender;
    this.meters = meters;
  }

  /** The stage, ready to start; {@code onAssigned} runs when partitions are assigned (the ledger catches up). */
  public Stage<CallRequest> build(KafkaSettings settings, String groupId, int concurrencyPerPartition,
                                  Duration minBackoff, Duration maxBackoff, Runnable onAssigned) {
    // The dialer writes requests in transactions: never act on one it aborted.
    KafkaSettings committedOnly = settings.withProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return Stage.builder(NAME, CallRequest.class)
        .groupId(groupId)
        .consume(topics.requests())
        .expectKey(CallRequest::getCallId)
        .process(this::process)
        .kafka(committedOnly, sender)
        .metrics(meters)
        .concurrencyPerPartition(concurrencyPerPartition)
        .backoff(minBackoff, maxBackoff)
        .onPartitionsAssigned(p -> onAssigned.run())
        .build();
  }

  Publisher<OutboundRecord> process(InboundRecord<CallRequest> record) {
    return originator.handle(record.value())
        .doOnError(ProviderUnavailable.class, e -> count("retried"))
        .flatMapMany(outcome -> {
          count(outcome.result());
          Flux<OutboundRecord> events = Flux.fromStream(outcome.event().stream())
              .map(e -> record.reply(topics.calls(), e));
          if (outcome.failure() == null) {
            return events;
          }
          // The CallEnded first, then the failure: the stage dead-letters the original request with the reason.
          return sender.send(events, record.trace()).then(Mono.error(outcome.failure()));
        });
  }

  private void count(String result) {
    Counter.builder("sva.telephony.requests")
        .description("Call requests handled, by outcome (placed, duplicate, expired, rejected, uncertain, retried)")
        .tag("outcome", result)
        .register(meters).increment();
  }
}
