package io.salesvoice.dialog.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.support.Records;
import io.salesvoice.dialog.support.TestKnowledge;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.FinishCall;
import io.salesvoice.schema.crm.RegisterCall;
import io.salesvoice.schema.crm.ScheduleActivity;
import io.salesvoice.schema.crm.UpsertLead;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogState;
import io.salesvoice.schema.dialog.DialogTurn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/** Transcripts and call events in, turns, CRM commands and state out, on the real broker and registry. */
@ExtendWith(LocalStackExtension.class)
class DialogStageTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T07:00:00Z"), ZoneId.of("Europe/Moscow"));

  private final KafkaStack stack;
  private StackClients clients;
  private DialogTopics topics;
  private String group;
  private final List<Disposable> running = new CopyOnWriteArrayList<>();
  private final List<RecordSender> senders = new CopyOnWriteArrayList<>();
  private final ScriptEngine script = new ScriptEngine(ScriptCatalog.builtIn(), TestKnowledge.shipped(), CLOCK);

  DialogStageTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void topics() {
    clients = new StackClients(stack);
    String id = UUID.randomUUID().toString().substring(0, 8);
    topics = new DialogTopics("transcripts-" + id, "calls-" + id, "turns-" + id, "crm-" + id, "state-" + id);
    clients.createTopics(3, topics.transcripts(), topics.calls(), topics.turns(), topics.crmCommands(), topics.state(),
        topics.transcripts() + ".dlq", topics.calls() + ".dlq");
    group = "dialog-" + id;
  }

  @AfterEach
  void stop() {
    running.forEach(Disposable::dispose);
    senders.forEach(RecordSender::close);
    clients.close();
  }

  private Disposable startInstance() {
    RecordSender sender = RecordSender.create(clients.settings());
    senders.add(sender);
    DialogStage stage = new DialogStage(clients.settings(), sender, new SimpleMeterRegistry(), topics, script, script,
        CLOCK, new DialogStage.Settings(group, 16, Duration.ofSeconds(2), Duration.ofSeconds(30),
        Duration.ofMillis(100), Duration.ofSeconds(1)));
    Disposable d = stage.start();
    running.add(d);
    return d;
  }

  @Test
  void aWholeCallProducesTurnsSentenceBySentenceAndItsCrmCommands() throws Exception {
    startInstance();
    String call = "call-" + UUID.randomUUID();
    clients.send(topics.calls(), call, Records.started(call, "ru-RU", "+79991234567", 7, Map.of("name", "Иван")));
    clients.send(topics.transcripts(), call, Records.said(call, "u1", "Да, удобно", "ru-RU"));
    clients.send(topics.transcripts(), call, Records.said(call, "u2", "Компания Ромашка, у нас 10 менеджеров", "ru-RU"));
    clients.send(topics.transcripts(), call, Records.said(call, "u3", "давайте завтра в три", "ru-RU"));
    clients.send(topics.transcripts(), call, Records.said(call, "u3", "давайте завтра в три", "ru-RU"));   // redelivered
    clients.send(topics.transcripts(), call, Records.said(call, "u4", "ivan@romashka.ru", "ru-RU"));
    // the gateway ends the call after the goodbye was played
    assertThat(waitForTurns(call, 5).stream().filter(DialogTurn::getLastChunk).map(t -> t.getTurnId().toString())
        .distinct()).hasSize(5);
    clients.send(topics.calls(), call, Records.ended(call, CallEndReason.AGENT_HANGUP, 95_000));

    List<CrmCommand> commands = values(clients.read(topics.crmCommands(), 5, WAIT), CrmCommand.class);
    assertThat(commands).extracting(CrmCommand::getIdempotencyKey).containsExactly(
        call + ":register", call + ":lead", call + ":activity", call + ":summary", call + ":finish");
    assertThat(commands.get(0).getCommand()).isInstanceOfSatisfying(RegisterCall.class,
        r -> assertThat(r.getPhoneNumber()).isEqualTo("+79991234567"));
    assertThat(commands.get(1).getCommand()).isInstanceOfSatisfying(UpsertLead.class, l -> {
      assertThat(l.getCompany()).isEqualTo("Ромашка");
      assertThat(l.getEmail()).isEqualTo("ivan@romashka.ru");
      assertThat(l.getFields()).containsEntry("UF_CRM_TEAM_SIZE", "10");
    });
    assertThat(commands.get(2).getCommand()).isInstanceOfSatisfying(ScheduleActivity.class,
        a -> assertThat(a.getStartAt()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z")));
    assertThat(commands.get(4).getCommand()).isInstanceOfSatisfying(FinishCall.class, f -> {
      assertThat(f.getDurationSeconds()).isEqualTo(95);
      assertThat(f.getStatusCode()).isEqualTo("200");
    });

    List<DialogTurn> chunks = values(clients.read(topics.turns(), 100, Duration.ofSeconds(5)), DialogTurn.class);
    Map<String, List<DialogTurn>> turns = chunks.stream().collect(Collectors.groupingBy(DialogTurn::getTurnId,
        java.util.LinkedHashMap::new, Collectors.toList()));
    assertThat(turns.keySet()).containsExactly(call + ":t0", call + ":t1", call + ":t2", call + ":t3", call + ":t4");
    turns.values().forEach(t -> {
      assertThat(t).extracting(DialogTurn::getChunkIndex).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, t.size()).boxed().toList());
      assertThat(t).filteredOn(DialogTurn::getLastChunk).hasSize(1);
      assertThat(t.get(t.size() - 1).getLastChunk()).isTrue();
    });
    List<DialogTurn> greeting = turns.get(call + ":t0");
    assertThat(greeting.get(0).getText()).isEqualTo("Здравствуйте, Иван!");
    assertThat(greeting).allSatisfy(c -> assertThat(c.getReplyPartition()).isEqualTo(7));
    assertThat(turns.get(call + ":t3").get(0).getInReplyTo()).isEqualTo("u3");
    List<DialogTurn> last = turns.get(call + ":t4");
    assertThat(last.get(last.size() - 1).getAction()).isEqualTo(DialogAction.HANG_UP);
    assertThat(last.get(last.size() - 1).getSlots()).containsEntry("email", "ivan@romashka.ru");
  }

  @Test
  void aCallContinuesOnAnotherInstanceWithItsHistoryAndNoTurnSaidTwice() throws Exception {
    Disposable first = startInstance();
    String call = "call-" + UUID.randomUUID();
    clients.send(topics.calls(), call, Records.started(call, "en-US", "+14155552671", 2, Map.of("name", "John")));
    clients.send(topics.transcripts(), call, Records.said(call, "u1", "yes, sure", "en-US"));
    clients.send(topics.transcripts(), call, Records.said(call, "u2", "I work at Acme Corp", "en-US"));
    assertThat(waitForTurns(call, 3).stream().map(DialogTurn::getTurnId).distinct()).hasSize(3);
    // The instance dies mid-call, maybe before its last offsets were committed.
    first.dispose();

    startInstance();
    clients.send(topics.transcripts(), call, Records.said(call, "u3", "how much does it cost?", "en-US"));
    clients.send(topics.transcripts(), call, Records.said(call, "u4", "tomorrow at 10 am", "en-US"));

    List<DialogTurn> chunks = waitForTurns(call, 5);
    Map<String, Long> lastChunks = chunks.stream().filter(DialogTurn::getLastChunk)
        .collect(Collectors.groupingBy(DialogTurn::getTurnId, Collectors.counting()));
    assertThat(lastChunks).containsOnlyKeys(call + ":t0", call + ":t1", call + ":t2", call + ":t3", call + ":t4");
    assertThat(lastChunks.values()).allMatch(n -> n == 1);
    DialogTurn price = chunks.stream().filter(c -> c.getTurnId().toString().equals(call + ":t3")).findFirst().orElseThrow();
    assertThat(price.getText()).contains("15 dollars");
    assertThat(price.getState()).isEqualTo("offer");   // the state from before the failover
    DialogTurn booked = chunks.stream().filter(c -> c.getTurnId().toString().equals(call + ":t4")).findFirst().orElseThrow();
    assertThat(booked.getText()).isEqualTo("I'm booking you for Thursday, November 26 at 10:00 AM.");
    assertThat(booked.getSlots()).containsEntry("company", "Acme Corp");

    List<DialogState> states = values(clients.read(topics.state(), 100, Duration.ofSeconds(3)), DialogState.class);
    DialogState latest = states.get(states.size() - 1);
    assertThat(latest.getState()).isEqualTo("ask_email");
    assertThat(latest.getTurnCount()).isEqualTo(5);
    assertThat(latest.getLastUtteranceId()).isEqualTo("u4");
    assertThat(latest.getVariables().get("_history")).contains("customer: I work at Acme Corp");
  }

  private List<DialogTurn> waitForTurns(String call, int turns) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<DialogTurn> chunks = List.of();
    while (System.nanoTime() < deadline) {
      chunks = values(clients.read(topics.turns(), 1000, Duration.ofSeconds(2)), DialogTurn.class);
      // distinct turns: a retried write may legitimately repeat a chunk under the same turn id
      if (chunks.stream().filter(DialogTurn::getLastChunk).map(t -> t.getTurnId().toString()).distinct().count()
          >= turns) {
        Thread.sleep(1000);   // anything said twice would arrive now
        return values(clients.read(topics.turns(), 1000, Duration.ofSeconds(2)), DialogTurn.class);
      }
    }
    return chunks;
  }

  private static <T> List<T> values(List<ConsumerRecord<String, Object>> records, Class<T> type) {
    return records.stream().map(ConsumerRecord::value).filter(type::isInstance).map(type::cast).toList();
  }
}
