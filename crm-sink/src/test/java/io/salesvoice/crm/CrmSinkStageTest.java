package io.salesvoice.crm;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static io.salesvoice.crm.domain.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.crm.bitrix.Bitrix24Clients;
import io.salesvoice.crm.bitrix.CoalescingBitrix24;
import io.salesvoice.crm.bitrix.WebClientBitrix24;
import io.salesvoice.crm.domain.CommandHandler;
import io.salesvoice.crm.domain.Commands;
import io.salesvoice.crm.domain.CrmWriter;
import io.salesvoice.crm.ledger.KafkaLedger;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import io.salesvoice.schema.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/** The sink against the real broker and registry and the local Bitrix24 portal: commands in, results out. */
@ExtendWith(LocalStackExtension.class)
class CrmSinkStageTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PHONE = "+79991234567";

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private SimulatedBitrix24 fake;
  private CrmSinkStage.CrmTopics topics;
  private String group;
  private final List<Instance> instances = new CopyOnWriteArrayList<>();

  CrmSinkStageTest(KafkaStack stack) {
    this.stack = stack;
  }

  /** One running crm-sink instance: its own ledger reader and Bitrix24 client, as after a restart. */
  private record Instance(Disposable stage, KafkaLedger ledger, WebClientBitrix24 b24) {
    void kill() {
      stage.dispose();
      ledger.close();
    }
  }

  @BeforeEach
  void setUp() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    fake = new SimulatedBitrix24();
    String commands = clients.createTopicWithDeadLetters("crm-commands", 3);
    String results = clients.createTopicWithDeadLetters("crm-results", 3);
    String applied = clients.createTopicWithDeadLetters("crm-applied", 3);
    topics = new CrmSinkStage.CrmTopics(commands, results, applied);
    group = "crm-sink-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    instances.forEach(Instance::kill);
    fake.close();
    sender.close();
    clients.close();
  }

  private Instance start() {
    KafkaLedger ledger = new KafkaLedger(clients.settings(), topics.applied(), sender);
    WebClientBitrix24 b24 = Bitrix24Clients.client(fake);
    CrmWriter writer = new CrmWriter(new CrmWriter.Settings(1, "UF_CRM_DNC"), ledger);
    CoalescingBitrix24 portal = new CoalescingBitrix24(b24, 50, 2, new SimpleMeterRegistry());
    CommandHandler handler = new CommandHandler(ledger, writer, name -> portal, Clock.systemUTC());
    Disposable stage = new CrmSinkStage(topics, handler, sender, new SimpleMeterRegistry())
        .build(clients.settings(), group, 4, Duration.ofMillis(200), Duration.ofSeconds(2), ledger::catchUp)
        .start();
    Instance instance = new Instance(stage, ledger, b24);
    instances.add(instance);
    return instance;
  }

  private void send(CrmCommand c) {
    clients.send(topics.commands(), c.getCallId(), c);
  }

  private List<CrmResult> results(int count) {
    return clients.read(topics.results(), count, WAIT).stream().map(r -> (CrmResult) r.value()).toList();
  }

  @Test
  void aCallsCommandsAreAppliedInOrderAndAnsweredOnTheResultsTopic() {
    start();
    send(command("call-1", "call-1:register", Commands.register(PHONE)));
    send(command("call-1", "call-1:lead", Commands.lead(PHONE, "Ivan")));
    send(command("call-1", "call-1:summary", Commands.comment(PHONE, "Wants the basic plan")));
    send(command("call-1", "call-1:callback", Commands.callback(PHONE, "Call Ivan back")));
    send(command("call-1", "call-1:finish", Commands.finish(42)));
    send(command("call-1", "call-1:record", Commands.attach("https://records.example/call-1.mp3")));

    List<CrmResult> results = results(6);
    assertThat(results).extracting(CrmResult::getStatus).containsOnly(CrmStatus.APPLIED).hasSize(6);
    assertThat(results).extracting(CrmResult::getCommandType).containsExactly("RegisterCall", "UpsertLead",
        "AddComment", "ScheduleActivity", "FinishCall", "AttachRecord");
    String callId = results.get(0).getEntityId();
    assertThat(fake.calls.get(callId)).containsEntry("FINISHED", true).containsEntry("DURATION", 42)
        .containsEntry("RECORD_URL", "https://records.example/call-1.mp3");
    assertThat(fake.leadsWithPhone(PHONE)).as("register created the lead, the upsert updated it").hasSize(1)
        .first().satisfies(lead -> assertThat(lead).containsEntry("NAME", "Ivan"));
    assertThat(fake.comments).hasSize(1);
    assertThat(fake.activities).hasSize(1);
    assertThat(clients.read(topics.results(), 6, WAIT)).allSatisfy(r -> assertThat(r.key()).isEqualTo("call-1"));
  }

  @Test
  void aSecondCommandWithAnAppliedKeyIsAnsweredDuplicateAndNotWritten() {
    start();
    send(command("call-2", "call-2:lead", Commands.lead(PHONE, "Ivan")));
    send(command("call-2", "call-2:summary", Commands.comment(PHONE, "Summary")));
    send(command("call-2", "call-2:summary", Commands.comment(PHONE, "Summary")));

    List<CrmResult> results = results(3);
    assertThat(results).extracting(CrmResult::getStatus)
        .containsExactly(CrmStatus.APPLIED, CrmStatus.APPLIED, CrmStatus.DUPLICATE);
    assertThat(results.get(2).getEntityId()).isEqualTo(results.get(1).getEntityId());
    assertThat(fake.comments).hasSize(1);
    assertThat(fake.count("crm.timeline.comment.add")).isEqualTo(1);
  }

  @Test
  void aSinkKilledAfterBitrixCreatedTheLeadCreatesNoDuplicateLeadOnRestart() throws Exception {
    var leadAdded = fake.hangAfterApplying("crm.lead.add");
    Instance first = start();
    send(command("call-3", "call-3:lead", Commands.lead(PHONE, "Ivan")));
    assertThat(leadAdded.await(60, TimeUnit.SECONDS)).as("Bitrix24 accepted the lead").isTrue();
    assertThat(fake.leadsWithPhone(PHONE)).hasSize(1);
    first.kill();   // before the answer, the ledger entry and the offset commit
    fake.release();

    start();
    List<CrmResult> results = results(1);
    assertThat(results).extracting(CrmResult::getStatus).containsExactly(CrmStatus.APPLIED);
    assertThat(results.get(0).getAttempts()).as("the second attempt, known from the ledger").isEqualTo(2);
    assertThat(fake.leadsWithPhone(PHONE)).as("no duplicate lead").hasSize(1);
    assertThat(fake.leads).containsKey(results.get(0).getEntityId());
  }

  @Test
  void aSinkKilledAfterBitrixWroteTheCommentFindsItOnRestartInsteadOfWritingItAgain() throws Exception {
    start();
    send(command("call-4", "call-4:lead", Commands.lead(PHONE, "Ivan")));
    assertThat(results(1)).hasSize(1);
    var commentAdded = fake.hangAfterApplying("crm.timeline.comment.add");
    send(command("call-4", "call-4:summary", Commands.comment(PHONE, "Wants a demo")));
    assertThat(commentAdded.await(60, TimeUnit.SECONDS)).isTrue();
    instances.get(0).kill();
    fake.release();

    start();
    List<CrmResult> results = results(2);
    assertThat(results.get(1).getStatus()).isEqualTo(CrmStatus.APPLIED);
    assertThat(fake.comments).as("the comment exists once").hasSize(1);
    assertThat(results.get(1).getEntityId()).isEqualTo(fake.comments.keySet().iterator().next());
    assertThat(fake.count("crm.timeline.comment.list")).as("looked up because the first attempt was uncertain")
        .isEqualTo(1);
  }

  @Test
  void whileBitrixIsDownCommandsWaitAndAllCompleteWhenItIsBack() throws Exception {
    fake.down(true);
    start();
    for (int i = 0; i < 3; i++) {
      send(command("call-5" + i, "call-5" + i + ":lead", Commands.lead("+7999000000" + i, "Lead " + i)));
    }
    Thread.sleep(6_000);
    assertThat(clients.read(topics.results(), 1, Duration.ofSeconds(2))).as("nothing answered while down").isEmpty();
    assertThat(clients.read(topics.commands() + ".dlq", 1, Duration.ofSeconds(2))).as("nothing dead-lettered")
        .isEmpty();
    int triedWhileDown = fake.requests.size();
    assertThat(triedWhileDown).as("retried with backoff and a circuit breaker, not in a hot loop")
        .isBetween(3, 60);

    fake.down(false);
    List<CrmResult> results = results(3);
    assertThat(results).extracting(CrmResult::getStatus).containsOnly(CrmStatus.APPLIED).hasSize(3);
    assertThat(fake.leads).hasSize(3);
  }

  @Test
  void poisonRecordsAndRefusedCommandsAreDeadLetteredWithTheReasonAndTheNextCommandIsApplied() {
    fake.deny("crm.contact.add", 403, "ACCESS_DENIED", "Access denied!");
    start();
    clients.sendRaw(topics.commands(), "call-6", "not avro".getBytes(StandardCharsets.UTF_8));
    send(command("call-6", "call-6:contact", Commands.contact(PHONE, "Olga")));
    send(command("call-6", "call-6:lead", Commands.lead(PHONE, "Olga")));

    List<CrmResult> results = results(2);
    assertThat(results).extracting(CrmResult::getStatus).containsExactly(CrmStatus.REJECTED, CrmStatus.APPLIED);
    assertThat(results.get(0).getError()).contains("ACCESS_DENIED").contains("Access denied!");
    List<DeadLetter> letters = clients.read(topics.commands() + ".dlq", 2, WAIT).stream()
        .map(r -> (DeadLetter) r.value()).toList();
    assertThat(letters).hasSize(2);
    assertThat(letters.get(0).getReason()).startsWith("the value cannot be deserialized");
    assertThat(letters.get(1).getReason()).contains("ACCESS_DENIED").contains("crm.contact.add");
    assertThat(letters.get(1).getStage()).isEqualTo(CrmSinkStage.NAME);
    assertThat(fake.leadsWithPhone(PHONE)).hasSize(1);
  }

  @Test
  void aRefusedCommandReDrivenFromTheDeadLettersAfterTheFixIsApplied() {
    fake.deny("crm.lead.add", 403, "ACCESS_DENIED", "Access denied!");
    start();
    send(command("call-7", "call-7:lead", Commands.lead(PHONE, "Ivan")));
    assertThat(results(1)).extracting(CrmResult::getStatus).containsExactly(CrmStatus.REJECTED);
    var letter = clients.read(topics.commands() + ".dlq", 1, WAIT).get(0);

    fake.allow("crm.lead.add");   // the operator granted the webhook the right
    DeadLetterRedrive redrive = new DeadLetterRedrive(clients.settings(), sender, topics.commands() + ".dlq");
    DeadLetterRedrive.Redriven redriven = redrive.redrive(letter.partition(), letter.offset()).block(WAIT);
    assertThat(redriven.idempotencyKey()).isEqualTo("call-7:lead");
    assertThat(redriven.key()).isEqualTo("call-7");

    List<CrmResult> results = results(2);
    assertThat(results).extracting(CrmResult::getStatus).containsExactly(CrmStatus.REJECTED, CrmStatus.APPLIED);
    assertThat(fake.leadsWithPhone(PHONE)).hasSize(1);
  }
}
