package io.salesvoice.dialog.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.dialog.engine.ReplyEvent;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.engine.Turn;
import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.script.Action;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.support.FakeOpenAi;
import io.salesvoice.dialog.support.FakeOpenAi.Reply;
import io.salesvoice.dialog.support.TestKnowledge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM engine against a local server speaking OpenAI's streaming Chat Completions protocol. */
class OpenAiDialogEngineTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T07:00:00Z"), ZoneId.of("Europe/Moscow"));
  private FakeOpenAi openAi;
  private OpenAIClientAsync client;
  private OpenAiDialogEngine engine;
  private final ScriptEngine script = new ScriptEngine(ScriptCatalog.builtIn(), TestKnowledge.shipped(), CLOCK);

  @BeforeEach
  void start() throws Exception {
    openAi = new FakeOpenAi();
    client = OpenAIOkHttpClientAsync.builder().baseUrl(openAi.baseUrl()).apiKey("test-key").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
    // Generous limits: this machine is shared; the timeout tests use their own short ones.
    engine = engine(Duration.ofSeconds(20), Duration.ofSeconds(20));
  }

  private OpenAiDialogEngine engine(Duration firstSentence, Duration gap) {
    return new OpenAiDialogEngine(client, script, TestKnowledge.shipped(), CLOCK,
        new OpenAiDialogEngine.Settings("gpt-4o-mini", firstSentence, gap, 0.3, 200));
  }

  @AfterEach
  void stop() {
    client.close();
    openAi.close();
  }

  private Conversation inOffer(Language language) {
    return new Conversation("call-9", "campaign-1", language == Language.RU ? "sales-ru" : "sales-en", language,
        "offer", Map.of("company", "Acme"), Map.of("name", "John"), 3, 0, false,
        List.of("agent: Hello John!", "customer: yes", "agent: What is your company called?", "customer: Acme"));
  }

  private List<ReplyEvent> reply(Conversation c, String utterance) {
    return engine.reply(c, utterance).collectList().block(Duration.ofSeconds(60));
  }

  private static List<String> sentences(List<ReplyEvent> events) {
    return events.stream().filter(e -> e instanceof ReplyEvent.Sentence).map(e -> ((ReplyEvent.Sentence) e).text())
        .toList();
  }

  private static Turn turn(List<ReplyEvent> events) {
    assertThat(events.get(events.size() - 1)).isInstanceOf(ReplyEvent.Done.class);
    return ((ReplyEvent.Done) events.get(events.size() - 1)).turn();
  }

  @Test
  void streamedTokensAreSpokenSentenceBySentence() {
    openAi.enqueue(new Reply().content("Great").content(" question! ").content("Pricing starts at 15 dollars")
        .content(" per rep. Shall we").content(" book a demo?").finish("stop").done());
    List<ReplyEvent> events = reply(inOffer(Language.EN), "How much does it cost?");
    assertThat(sentences(events)).containsExactly("Great question!", "Pricing starts at 15 dollars per rep.",
        "Shall we book a demo?");
    Turn t = turn(events);
    assertThat(t.action()).isEqualTo(Action.SPEAK);
    assertThat(t.fallback()).isFalse();
    assertThat(t.intent()).isEqualTo("price");
    assertThat(t.source()).startsWith("kb/default/faq.en.md#");
    assertThat(t.next().history()).endsWith("customer: How much does it cost?",
        "agent: Great question! Pricing starts at 15 dollars per rep. Shall we book a demo?");
    assertThat(t.next().turnCount()).isEqualTo(4);

    String request = openAi.requests().get(0);
    assertThat(request).contains("\"stream\":true").contains("\"model\":\"gpt-4o-mini\"")
        .contains("book_meeting").contains("schedule_callback").contains("update_lead").contains("transfer_to_human")
        .contains("end_call").contains("mark_do_not_call")
        .contains("the current step is 'offer'").contains("15 dollars per sales rep")   // the retrieved knowledge
        .contains("What is your company called?");                                      // the history
  }

  @Test
  void bookMeetingToolMovesTheCallToItsEndingWithTheSlots() {
    openAi.enqueue(new Reply().content("Perfect, I'll book it.")
        .toolCall(0, "call_1", "book_meeting", "{\"datetime\":", "\"2026-11-26T15:00\",", "\"email\":\"john@acme.com\"}")
        .finish("tool_calls").done());
    List<ReplyEvent> events = reply(inOffer(Language.EN), "Tomorrow at three works, john@acme.com");
    Turn t = turn(events);
    assertThat(t.next().state()).isEqualTo("meeting_booked");
    assertThat(t.next().ended()).isTrue();
    assertThat(t.action()).isEqualTo(Action.HANG_UP);
    assertThat(t.next().slots()).containsEntry("datetime", "2026-11-26T15:00").containsEntry("email", "john@acme.com")
        .containsEntry("company", "Acme");
    // the model spoke, so the ending's scripted line is not added on top
    assertThat(sentences(events)).containsExactly("Perfect, I'll book it.");
  }

  @Test
  void aToolCallWithoutTextSaysTheEndingsLine() {
    openAi.enqueue(new Reply().toolCall(0, "call_1", "mark_do_not_call", "{\"reason\":\"asked\"}").finish("tool_calls").done());
    List<ReplyEvent> events = reply(inOffer(Language.EN), "please never call me again");
    assertThat(sentences(events)).containsExactly("Understood, we won't call you again.", "Sorry for the trouble, goodbye.");
    assertThat(turn(events).next().state()).isEqualTo("do_not_call");
  }

  @Test
  void updateLeadAndTransferTools() {
    openAi.enqueue(new Reply().content("Let me connect you with a manager.")
        .toolCall(0, "a", "update_lead", "{\"name\":\"John Smith\",\"team_size\":\"12\"}")
        .toolCall(1, "b", "transfer_to_human", "{\"reason\":\"wants a human\"}")
        .finish("tool_calls").done());
    Turn t = turn(reply(inOffer(Language.EN), "I'm John Smith, 12 reps, can I talk to someone real"));
    assertThat(t.action()).isEqualTo(Action.TRANSFER);
    assertThat(t.next().slots()).containsEntry("name", "John Smith").containsEntry("team_size", "12");
  }

  @Test
  void aSlowModelFallsBackToTheScriptLine() {
    openAi.enqueue(new Reply().after(10_000).content("Too late.").finish("stop").done());
    engine = engine(Duration.ofSeconds(1), Duration.ofSeconds(20));
    List<ReplyEvent> events = reply(inOffer(Language.RU), "Сколько это стоит?");
    Turn t = turn(events);
    assertThat(t.fallback()).isTrue();
    assertThat(sentences(events).get(0)).contains("990 рублей");   // the script's knowledge-base answer
    assertThat(t.next().state()).isEqualTo("offer");
  }

  @Test
  void aMalformedReplyFallsBackToTheScriptLine() {
    openAi.enqueue(new Reply().raw("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":").done());
    List<ReplyEvent> events = reply(inOffer(Language.EN), "yes let's do it");
    Turn t = turn(events);
    assertThat(t.fallback()).isTrue();
    assertThat(t.next().state()).isEqualTo("booking");
    assertThat(sentences(events)).contains("Which day and time suit you?");
  }

  @Test
  void aServerErrorFallsBackToTheScriptLine() {
    // nothing enqueued: the server answers 500
    Turn t = turn(reply(inOffer(Language.EN), "not interested"));
    assertThat(t.fallback()).isTrue();
    assertThat(t.next().state()).isEqualTo("objection");
  }

  @Test
  void aStreamThatStallsAfterSpeakingEndsTheTurnThere() {
    openAi.enqueue(new Reply().content("Sure. ").content("Let me").after(10_000).content(" think.").done());
    engine = engine(Duration.ofSeconds(20), Duration.ofSeconds(2));
    List<ReplyEvent> events = reply(inOffer(Language.EN), "tell me more");
    assertThat(sentences(events)).containsExactly("Sure.");
    Turn t = turn(events);
    assertThat(t.fallback()).isFalse();
    assertThat(t.action()).isEqualTo(Action.SPEAK);
  }

  @Test
  void malformedToolArgumentsAreIgnored() {
    openAi.enqueue(new Reply().content("Okay.").toolCall(0, "c", "book_meeting", "{not json").finish("tool_calls").done());
    Turn t = turn(reply(inOffer(Language.EN), "ok book it"));
    assertThat(t.next().ended()).isFalse();
    assertThat(t.action()).isEqualTo(Action.SPEAK);
  }

  @Test
  void aStopCallingWishIsHonouredEvenWithoutTheTool() {
    openAi.enqueue(new Reply().content("I'm sorry to hear that.").finish("stop").done());
    Turn t = turn(reply(inOffer(Language.EN), "stop calling me"));
    assertThat(t.next().state()).isEqualTo("do_not_call");
    assertThat(t.action()).isEqualTo(Action.HANG_UP);
  }
}
