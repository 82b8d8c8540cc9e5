package io.salesvoice.crm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.crm.domain.CommandHandler;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.crm.CrmCommand;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * sva.crm.commands → Bitrix24 REST → sva.crm.results, key callId (one call's commands in order), at-least-once
 * delivery made effectively-once by the idempotency ledger sva.crm.applied. A command Bitrix24 refuses for good, or a
 * record that is not a command, goes to sva.crm.commands.dlq with the reason (a refused command also gets a REJECTED
 * result); while Bitrix24 is limited or down the command is retried with backoff and its partition waits, so the
 * consumer stops fetching and nothing is dropped.
 */
public final class CrmSinkStage {

  /** The topics of the stage; tests use their own. */
  public record CrmTopics(String commands, String results, String applied) {
    public static CrmTopics catalogue() {
      return new CrmTopics(Topics.CRM_COMMANDS, Topics.CRM_RESULTS, Topics.CRM_APPLIED);
    }
  }

  /** The stage's consumer group; every crm-sink instance shares the partitions. */
  public static final String NAME = "crm-sink";

  private final CrmTopics topics;
  private final CommandHandler handler;
  private final RecordSender sender;
  private final MeterRegistry meters;

  public CrmSinkStage(CrmTopics topics, CommandHandler handler, RecordSender sender, MeterRegistry meters) {
    this.topics = topics;
    this.handler = handler;
    this.sender = sender;
    this.meters = meters;
  }

  /** The stage, ready to start; {@code onAssigned} runs when partitions are assigned (the ledger catches up). */
  public Stage<CrmCommand> build(KafkaSettings settings, String groupId, int concurrencyPerPartition,
                                 Duration minBackoff, Duration maxBackoff, Runnable onAssigned) {
    return Stage.builder(NAME, CrmCommand.class)
        .groupId(groupId)
        .consume(topics.commands())
        .expectKey(CrmCommand::getCallId)
        .process(this::process)
        .kafka(settings, sender)
        .metrics(meters)
        .concurrencyPerPartition(concurrencyPerPartition)
        .backoff(minBackoff, maxBackoff)
        .onPartitionsAssigned(p -> onAssigned.run())
        .build();
  }

  Publisher<OutboundRecord> process(InboundRecord<CrmCommand> record) {
    return handler.handle(record.value()).flatMap(outcome -> {
      count(outcome.result().getCommandType(), outcome.result().getStatus().name());
      OutboundRecord result = record.reply(topics.results(), outcome.result());
      if (outcome.rejection() == null) {
        return Mono.just(result);
      }
      // The REJECTED result first, then the failure: the stage dead-letters the original bytes with the reason.
      return sender.send(result, record.trace()).then(Mono.error(outcome.rejection()));
    });
  }

  private void count(String type, String status) {
    Counter.builder("sva.crm.commands")
        .description("CRM commands handled, by type and outcome")
        .tag("type", type).tag("status", status)
        .register(meters).increment();
  }
}
