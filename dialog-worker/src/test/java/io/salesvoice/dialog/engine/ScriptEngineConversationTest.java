package io.salesvoice.dialog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.script.Action;
import io.salesvoice.dialog.script.Outcome;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.support.ScriptedCall;
import io.salesvoice.dialog.support.TestKnowledge;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole calls through the shipped Russian and English scripts, from text: turns, slots and the CRM wrap-up. */
class ScriptEngineConversationTest {

  /** Wednesday 25 November 2026, 10:00 in Moscow. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T07:00:00Z"), ZoneId.of("Europe/Moscow"));
  private final ScriptCatalog scripts = ScriptCatalog.builtIn();
  private final ScriptEngine engine = new ScriptEngine(scripts, TestKnowledge.shipped(), CLOCK);

  private ScriptedCall ru() {
    return new ScriptedCall(engine, Language.RU, Map.of("name", "Иван"));
  }

  private ScriptedCall en() {
    return new ScriptedCall(engine, Language.EN, Map.of("name", "John"));
  }

  private CallWrapUp wrapUp(ScriptedCall call) {
    return CallWrapUp.of(engine.script(call.conversation()), call.conversation(), null);
  }

  @Test
  void russianHappyPathBooksAMeetingWithEmail() {
    ScriptedCall call = ru();
    assertThat(call.last().sentences().get(0)).isEqualTo("Здравствуйте, Иван!");
    assertThat(call.last().text()).endsWith("Вам удобно сейчас говорить пару минут?");
    assertThat(call.last().action()).isEqualTo(Action.SPEAK);

    assertThat(call.say("Да, слушаю").text()).contains("как называется ваша компания");
    assertThat(call.state()).isEqualTo("qualification");

    call.say("Компания «Ромашка», у нас двенадцать менеджеров");
    assertThat(call.state()).isEqualTo("offer");
    assertThat(call.conversation().slots()).containsEntry("company", "Ромашка").containsEntry("team_size", "12");

    Turn booking = call.say("Давайте завтра в три");
    assertThat(call.state()).isEqualTo("ask_email");
    assertThat(booking.text()).contains("Записываю вас в четверг, 26 ноября, в 15:00.");
    assertThat(call.conversation().slots()).containsEntry("datetime", "2026-11-26T15:00");

    Turn end = call.say("пишите на ivan@romashka.ru");
    assertThat(end.action()).isEqualTo(Action.HANG_UP);
    assertThat(end.text()).contains("в четверг, 26 ноября, в 15:00, приглашение придёт на ivan@romashka.ru");
    assertThat(call.conversation().ended()).isTrue();

    CallWrapUp w = wrapUp(call);
    assertThat(w.result()).isEqualTo("meeting_booked");
    assertThat(w.lead()).hasValueSatisfying(l -> {
      assertThat(l.company()).isEqualTo("Ромашка");
      assertThat(l.email()).isEqualTo("ivan@romashka.ru");
      assertThat(l.fields()).containsEntry("team_size", "12");
    });
    assertThat(w.followUp()).hasValueSatisfying(f -> {
      assertThat(f.kind()).isEqualTo(Outcome.FollowUp.MEETING);
      assertThat(f.at()).isEqualTo(LocalDateTime.of(2026, 11, 26, 15, 0));
      assertThat(f.subject()).isEqualTo("Демонстрация платформу автоматизации продаж");
    });
    assertThat(w.doNotCallReason()).isEmpty();
    assertThat(w.summary()).contains("meeting_booked").contains("company = Ромашка");
  }

  @Test
  void theSimulatedCarriersInterestedCustomersBookAMeetingInBothVariants() {
    // the lines of simulators/src/main/resources/carrier/personas.yaml as the recogniser hands them over
    for (String[] lines : new String[][] {
        {"yes i have a few minutes", "my company is acme and we have ten sales people",
            "tomorrow at eleven in the morning", "no email"},
        {"yes sure", "my company is globex and we have twenty sales people", "friday at four in the afternoon",
            "no thank you"}}) {
      ScriptedCall call = en();
      StringBuilder said = new StringBuilder();
      for (String line : lines) {
        said.append(line).append(" → ").append(call.say(line).text()).append(" [").append(call.state()).append("]\n");
      }
      assertThat(wrapUp(call).result()).as(said.toString()).isEqualTo("meeting_booked");
    }
  }

  @Test
  void englishHappyPathBooksAMeeting() {
    ScriptedCall call = en();
    assertThat(call.last().sentences().get(0)).isEqualTo("Hello John!");
    call.say("Sure, go ahead");
    call.say("I work at Acme Corp and we have 12 reps");
    assertThat(call.conversation().slots()).containsEntry("company", "Acme Corp").containsEntry("team_size", "12");
    assertThat(call.say("yes, that sounds good").text()).contains("Which day and time suit you?");
    assertThat(call.state()).isEqualTo("booking");
    assertThat(call.say("next Tuesday morning").text()).contains("I'm booking you for Tuesday, December 1 at 10:00 AM.");
    Turn end = call.say("john dot doe at acme dot com");
    assertThat(end.action()).isEqualTo(Action.HANG_UP);
    assertThat(call.conversation().slots()).containsEntry("email", "john.doe@acme.com");
    assertThat(wrapUp(call).followUp()).hasValueSatisfying(f ->
        assertThat(f.at()).isEqualTo(LocalDateTime.of(2026, 12, 1, 10, 0)));
  }

  @Test
  void aDateWithoutATimeAsksForTheTime() {
    ScriptedCall call = ru();
    call.say("да");
    call.say("Вектор");
    assertThat(call.say("в пятницу").text()).isEqualTo("А в какое время вам удобно?");
    assertThat(call.state()).isEqualTo("offer");
    call.say("часа в четыре");
    assertThat(call.state()).isEqualTo("ask_email");
    assertThat(call.conversation().slots()).containsEntry("datetime", "2026-11-27T16:00");
  }

  @Test
  void yesWithADateGoesToBookingAndOnlyAsksTheTime() {
    ScriptedCall call = ru();
    call.say("да");
    call.say("Вектор");
    assertThat(call.say("давайте в пятницу").text()).isEqualTo("Отлично. А в какое время?");
    assertThat(call.state()).isEqualTo("booking");
    call.say("в 11:30");
    assertThat(call.conversation().slots()).containsEntry("datetime", "2026-11-27T11:30");
  }

  @Test
  void callMeBackTomorrowAtThreeSchedulesACallbackInOneTurn() {
    ScriptedCall call = ru();
    Turn t = call.say("Я сейчас занят, перезвоните завтра в три");
    assertThat(call.state()).isEqualTo("callback_booked");
    assertThat(t.intent()).isEqualTo("call_later");
    assertThat(t.text()).isEqualTo("Договорились, перезвоню в четверг, 26 ноября, в 15:00. Всего доброго!");
    assertThat(t.action()).isEqualTo(Action.HANG_UP);
    assertThat(wrapUp(call).followUp()).hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo(Outcome.FollowUp.CALLBACK));
  }

  @Test
  void busyThenACallbackTimeInEnglish() {
    ScriptedCall call = en();
    assertThat(call.say("I'm driving").text()).contains("When would be a better time");
    call.say("Friday afternoon");
    assertThat(call.state()).isEqualTo("callback_booked");
    assertThat(call.last().text()).contains("Friday, November 27 at 2:00 PM");
  }

  @Test
  void objectionThenAgreement() {
    ScriptedCall call = ru();
    assertThat(call.say("Нет, нам это не интересно").text()).contains("Многие наши клиенты");
    assertThat(call.state()).isEqualTo("objection");
    call.say("ну ладно, давайте");
    assertThat(call.state()).isEqualTo("booking");
  }

  @Test
  void twoRefusalsCloseThePoliteWay() {
    ScriptedCall call = en();
    call.say("not interested");
    Turn t = call.say("no thanks");
    assertThat(call.state()).isEqualTo("polite_close");
    assertThat(t.action()).isEqualTo(Action.HANG_UP);
    assertThat(wrapUp(call).result()).isEqualTo("not_interested");
    assertThat(wrapUp(call).followUp()).isEmpty();
  }

  @Test
  void stopCallingMarksDoNotCallFromAnyState() {
    ScriptedCall call = ru();
    call.say("да");
    Turn t = call.say("Не звоните мне больше!");
    assertThat(call.state()).isEqualTo("do_not_call");
    assertThat(t.action()).isEqualTo(Action.HANG_UP);
    assertThat(wrapUp(call).doNotCallReason()).contains("Клиент попросил больше не звонить");
  }

  @Test
  void askingForAHumanTransfers() {
    ScriptedCall call = en();
    Turn t = call.say("I want to talk to a human");
    assertThat(t.action()).isEqualTo(Action.TRANSFER);
    assertThat(wrapUp(call).followUp()).hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo(Outcome.FollowUp.TASK));
  }

  @Test
  void robotCheckAndWhoAreYouAreAnsweredAndTheQuestionRepeated() {
    ScriptedCall call = ru();
    Turn robot = call.say("Вы робот?");
    assertThat(robot.text()).startsWith("Да, я виртуальный ассистент компании СейлсВойс.")
        .endsWith("Вам удобно сейчас говорить пару минут?");
    assertThat(call.state()).isEqualTo("greeting");
    Turn who = call.say("а кто это вообще?");
    assertThat(who.text()).startsWith("Меня зовут Анна, я звоню из компании СейлсВойс.");
    assertThat(call.say("да").text()).contains("как называется ваша компания");
  }

  @Test
  void priceQuestionIsAnsweredFromTheKnowledgeBaseWithItsSource() {
    ScriptedCall call = en();
    call.say("yes");
    call.say("Acme");
    Turn price = call.say("How much does it cost?");
    assertThat(price.intent()).isEqualTo("price");
    assertThat(price.text()).contains("15 dollars per sales rep").endsWith("When would suit you?");
    assertThat(price.source()).startsWith("kb/default/faq.en.md#How much does it cost");
    assertThat(call.state()).isEqualTo("offer");
  }

  @Test
  void productQuestionWithoutAnAnswerGetsTheHonestLine() {
    ScriptedCall call = ru();
    Turn t = call.say("а вы умеете варить кофе?");
    assertThat(t.intent()).isEqualTo("question");
    assertThat(t.text()).startsWith("Хороший вопрос. Точный ответ пришлёт менеджер после звонка.");
    assertThat(t.source()).isNull();
  }

  @Test
  void unclearAnswersAreRepromptedThenTransferred() {
    ScriptedCall call = ru();
    Turn first = call.say("гм");
    assertThat(first.text()).isEqualTo("Извините, я не совсем поняла. Вам удобно сейчас говорить пару минут?");
    assertThat(call.conversation().failedAttempts()).isEqualTo(1);
    call.say("эээ");
    assertThat(call.conversation().failedAttempts()).isEqualTo(2);
    assertThat(call.state()).isEqualTo("greeting");
    Turn third = call.say("ммм");
    assertThat(call.state()).isEqualTo("transfer");
    assertThat(third.action()).isEqualTo(Action.TRANSFER);
  }

  @Test
  void anUnderstoodAnswerResetsTheFailureCount() {
    ScriptedCall call = en();
    call.say("hmm");
    call.say("yes");
    assertThat(call.conversation().failedAttempts()).isZero();
  }

  @Test
  void anEndedCallSaysNothingMore() {
    ScriptedCall call = en();
    call.say("stop calling me");
    Turn after = call.say("hello?");
    assertThat(after.sentences()).isEmpty();
    assertThat(call.state()).isEqualTo("do_not_call");
  }

  @Test
  void aLeadWithoutANameIsGreetedWithoutADanglingComma() {
    ScriptedCall call = new ScriptedCall(engine, Language.RU, Map.of());
    assertThat(call.last().sentences().get(0)).isEqualTo("Здравствуйте!");
  }

  @Test
  void sameInputSameAnswer() {
    ScriptedCall a = ru();
    ScriptedCall b = ru();
    assertThat(a.say("давайте позже, в пятницу в 11").text()).isEqualTo(b.say("давайте позже, в пятницу в 11").text());
    assertThat(a.conversation()).isEqualTo(b.conversation());
  }

  @Test
  void historyKeepsTheLastExchanges() {
    ScriptedCall call = en();
    call.say("yes");
    assertThat(call.conversation().history()).first().asString().startsWith("agent: Hello John!");
    assertThat(call.conversation().history()).contains("customer: yes");
    assertThat(call.conversation().turnCount()).isEqualTo(2);
  }
}
