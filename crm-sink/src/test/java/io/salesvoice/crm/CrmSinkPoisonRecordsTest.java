package io.salesvoice.crm;

import static io.salesvoice.crm.domain.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.crm.bitrix.Bitrix24Clients;
import io.salesvoice.crm.bitrix.CoalescingBitrix24;
import io.salesvoice.crm.domain.CommandHandler;
import io.salesvoice.crm.domain.Commands;
import io.salesvoice.crm.domain.CrmWriter;
import io.salesvoice.crm.ledger.KafkaLedger;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.stack.StagePoisonProbe;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison records on sva.crm.commands against the sink's real stage, broker, registry and a simulated Bitrix24 portal:
 * each is dead-lettered with a reason that says what was wrong, and the next command is applied.
 */
@ExtendWith(LocalStackExtension.class)
class CrmSinkPoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String PHONE = "+79991234567";

  private final KafkaStack stack;

  CrmSinkPoisonRecordsTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void everyPoisonOnTheCommandsTopicIsDeadLetteredWithItsReasonAndTheNextCommandIsApplied() {
    BadInputReport report = new BadInputReport("crm-sink-poison", "poison records on sva.crm.commands");
    int sent;
    try (StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings());
         PoisonRecords poisons = new PoisonRecords(clients.settings());
         SimulatedBitrix24 portal = new SimulatedBitrix24()) {
      CrmSinkStage.CrmTopics topics = new CrmSinkStage.CrmTopics(clients.createTopicWithDeadLetters("crm-commands", 2),
          clients.createTopicWithDeadLetters("crm-results", 2), clients.createTopicWithDeadLetters("crm-applied", 2));
      KafkaLedger ledger = new KafkaLedger(clients.settings(), topics.applied(), sender);
      CoalescingBitrix24 b24 = new CoalescingBitrix24(Bitrix24Clients.client(portal), 50, 2, new SimpleMeterRegistry());
      CommandHandler handler = new CommandHandler(ledger,
          new CrmWriter(new CrmWriter.Settings(1, "UF_CRM_DNC"), ledger), name -> b24, Clock.systemUTC());
      Stage<CrmCommand> stage = new CrmSinkStage(topics, handler, sender, new SimpleMeterRegistry())
          .build(clients.settings(), "crm-sink-" + UUID.randomUUID(), 4, Duration.ofMillis(100),
              Duration.ofSeconds(1), ledger::catchUp);

      String callId = "call-poison";
      CrmCommand valid = command(callId, callId + ":lead", Commands.lead(PHONE, "Ivan"));
      List<PoisonRecords.Poison> all = new ArrayList<>(poisons.structured(topics.commands(), callId, valid,
          PoisonRecords.seed()));
      all.addAll(poisons.mutations(topics.commands(), callId, valid, PoisonRecords.seed(),
          PoisonRecords.mutationCount(30)));
      sent = all.size();
      try (StagePoisonProbe probe = StagePoisonProbe.watch(stage.run())) {
        probe.check(clients, topics.commands(), callId, valid,
            command(callId, callId + ":contact", Commands.contact(PHONE, "Olga")), all, report, WAIT);
      } finally {
        ledger.close();
        report.write();
      }
      assertThat(portal.leadsWithPhone(PHONE)).as("the valid lead was written once").hasSize(1);
    }
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).as("every poison accounted for").isEqualTo(sent);
  }
}
