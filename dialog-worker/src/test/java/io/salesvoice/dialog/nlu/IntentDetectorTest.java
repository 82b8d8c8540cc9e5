package io.salesvoice.dialog.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentDetectorTest {

  private final IntentDetector detector = new IntentDetector();

  @ParameterizedTest(name = "ru: {0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "Да, удобно|YES",
      "да конечно|YES",
      "Ага, слушаю|YES",
      "Хорошо, давайте|YES",
      "ну ладно|YES",
      "Нет.|NO",
      "неа|NO",
      "Может быть|MAYBE",
      "Не знаю, наверное|MAYBE",
      "я подумаю|MAYBE",
      "Нет, нам это не интересно|NOT_INTERESTED",
      "Спасибо, не нужно|NOT_INTERESTED",
      "у нас уже есть CRM|NOT_INTERESTED",
      "неинтересно|NOT_INTERESTED",
      "Перезвоните мне завтра|CALL_LATER",
      "давайте позже|CALL_LATER",
      "не сейчас, наберите через час|CALL_LATER",
      "я занят, перезвоните вечером|CALL_LATER",
      "Я сейчас занят|BUSY",
      "я за рулём|BUSY",
      "Мне неудобно говорить|BUSY",
      "нет, не удобно|BUSY",
      "Я на совещании|BUSY",
      "Сколько это стоит?|PRICE",
      "да, а какая цена?|PRICE",
      "а по деньгам сколько выйдет|PRICE",
      "какие у вас тарифы|PRICE",
      "Кто вы?|WHO_ARE_YOU",
      "А откуда вы звоните?|WHO_ARE_YOU",
      "что за компания|WHO_ARE_YOU",
      "по какому вопросу|WHO_ARE_YOU",
      "Вы робот?|ROBOT_CHECK",
      "я что, с роботом разговариваю|ROBOT_CHECK",
      "ты живой человек или нет|ROBOT_CHECK",
      "Не звоните мне больше!|STOP_CALLING",
      "удалите мой номер из базы|STOP_CALLING",
      "хватит мне названивать|STOP_CALLING",
      "больше не беспокойте|STOP_CALLING",
      "нет, и больше не звоните|STOP_CALLING",
      "соедините меня с менеджером|TRANSFER_REQUEST",
      "хочу поговорить с живым человеком|TRANSFER_REQUEST",
      "повторите пожалуйста|REPEAT",
      "а ваша система работает с 1С?|QUESTION",
      "гм|UNKNOWN",
  })
  void russian(String utterance, Intent expected) {
    assertThat(detector.detect(utterance, Language.RU)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "en: {0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "Yes, sure|YES",
      "yeah go ahead|YES",
      "Okay.|YES",
      "sounds good|YES",
      "no problem|YES",
      "why not|YES",
      "No.|NO",
      "nope|NO",
      "not really|NO",
      "Maybe|MAYBE",
      "I'm not sure|MAYBE",
      "I guess|MAYBE",
      "We're not interested|NOT_INTERESTED",
      "no thanks|NOT_INTERESTED",
      "we already have a CRM|NOT_INTERESTED",
      "I don't need that|NOT_INTERESTED",
      "Call me back tomorrow|CALL_LATER",
      "can you call later|CALL_LATER",
      "not right now|CALL_LATER",
      "I'm busy|BUSY",
      "I'm driving|BUSY",
      "this is a bad time|BUSY",
      "I'm in a meeting|BUSY",
      "How much does it cost?|PRICE",
      "yes, what's the price|PRICE",
      "what are your pricing plans|PRICE",
      "Who is this?|WHO_ARE_YOU",
      "what company are you with|WHO_ARE_YOU",
      "what's this about|WHO_ARE_YOU",
      "Are you a robot?|ROBOT_CHECK",
      "am I talking to a machine|ROBOT_CHECK",
      "is this a recording|ROBOT_CHECK",
      "Stop calling me|STOP_CALLING",
      "don't call me again|STOP_CALLING",
      "please remove my number|STOP_CALLING",
      "take me off your list|STOP_CALLING",
      "put me on your do not call list|STOP_CALLING",
      "I want to talk to a human|TRANSFER_REQUEST",
      "can you transfer me to a manager|TRANSFER_REQUEST",
      "sorry, can you repeat that|REPEAT",
      "Does it integrate with Outlook?|QUESTION",
      "hmm|UNKNOWN",
  })
  void english(String utterance, Intent expected) {
    assertThat(detector.detect(utterance, Language.EN)).isEqualTo(expected);
  }
}
