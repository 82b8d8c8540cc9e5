package io.salesvoice.tts.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {

  private final TextNormalizer normalizer = new TextNormalizer();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Это стоит 1500 ₽.|Это стоит тысяча пятьсот рублей.",
      "Всего 21 руб.|Всего двадцать один рубль",
      "Цена 2 500,50 ₽ в месяц|Цена две тысячи пятьсот рублей пятьдесят копеек в месяц",
      "Скидка 15% до конца месяца|Скидка пятнадцать процентов до конца месяца",
      "Скидка 22%|Скидка двадцать два процента",
      "Скидка 1%|Скидка один процент",
      "Встреча 25.12.2024 в 14:30|Встреча двадцать пятое декабря две тысячи двадцать четвёртого года в четырнадцать тридцать",
      "Перезвоню 3 марта|Перезвоню третье марта",
      "до 1 сентября 2025 года|до первое сентября две тысячи двадцать пятого года",
      "в 9:05|в девять ноль пять",
      "в 10:00|в десять часов ровно",
      "Это $300|Это триста долларов",
      "Всего 2,5 часа|Всего две целых пять десятых часа",
      "У нас 1 000 000 клиентов|У нас один миллион клиентов",
      "Код 0042|Код ноль ноль четыре два",
      "Тариф №3|Тариф номер три",
      "Звоните +7 (495) 123-45-67.|Звоните плюс, семь, четыреста девяносто пять, сто двадцать три, сорок пять, шестьдесят семь.",
      "Номер 8-800-555-35-35|Номер восемь, восемьсот, пятьсот пятьдесят пять, тридцать пять, тридцать пять",
  })
  void russian(String written, String spoken) {
    assertThat(normalizer.normalize(written, "ru-RU")).isEqualTo(spoken);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "It costs $1,500.|It costs one thousand five hundred dollars.",
      "Only $19.99 a month|Only nineteen dollars and ninety-nine cents a month",
      "Save 15% today|Save fifteen percent today",
      "See you on 2024-12-25 at 14:30|See you on December twenty-fifth, twenty twenty-four at fourteen thirty",
      "Call me on 12/25/2024|Call me on December twenty-fifth, twenty twenty-four",
      "Renewal on March 3rd|Renewal on March third",
      "We have 2,345,678 users|We have two million three hundred forty-five thousand six hundred seventy-eight users",
      "It's the 21st time|It's the twenty-first time",
      "Version 3.14|Version three point one four",
      "Price in rubles: 900 RUB|Price in rubles: nine hundred rubles",
      "At 9:05|At nine oh five",
      "Call +1 (555) 010-2030|Call plus, one, five five five, zero one zero, two zero three zero",
  })
  void english(String written, String spoken) {
    assertThat(normalizer.normalize(written, "en-US")).isEqualTo(spoken);
  }

  @Test
  void textWithoutNumbersIsLeftAlone() {
    assertThat(normalizer.normalize("Здравствуйте!  Меня зовут Анна.", "ru")).isEqualTo("Здравствуйте! Меня зовут Анна.");
    assertThat(normalizer.normalize("", "en")).isEmpty();
  }

  @Test
  void russianNumerals() {
    assertThat(RussianNumbers.cardinal(1_234_567)).isEqualTo(
        "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь");
    assertThat(RussianNumbers.cardinal(2001, RussianNumbers.Gender.FEMININE)).isEqualTo("две тысячи одна");
    assertThat(RussianNumbers.cardinal(11_000)).isEqualTo("одиннадцать тысяч");
    assertThat(RussianNumbers.ordinalGenitive(2000)).isEqualTo("двухтысячного");
    assertThat(RussianNumbers.ordinalGenitive(1990)).isEqualTo("тысяча девятьсот девяностого");
    assertThat(RussianNumbers.ordinalGenitive(2043)).isEqualTo("две тысячи сорок третьего");
    assertThat(RussianNumbers.ordinalNeuter(23)).isEqualTo("двадцать третье");
    assertThat(RussianNumbers.ordinalNeuter(30)).isEqualTo("тридцатое");
    assertThat(RussianNumbers.ordinalNeuter(12)).isEqualTo("двенадцатое");
  }

  @Test
  void englishNumerals() {
    assertThat(EnglishNumbers.cardinal(0)).isEqualTo("zero");
    assertThat(EnglishNumbers.cardinal(1_000_001)).isEqualTo("one million one");
    assertThat(EnglishNumbers.ordinal(12)).isEqualTo("twelfth");
    assertThat(EnglishNumbers.ordinal(40)).isEqualTo("fortieth");
    assertThat(EnglishNumbers.ordinal(103)).isEqualTo("one hundred third");
    assertThat(EnglishNumbers.year(1905)).isEqualTo("nineteen oh five");
    assertThat(EnglishNumbers.year(2005)).isEqualTo("two thousand five");
    assertThat(EnglishNumbers.year(1990)).isEqualTo("nineteen ninety");
  }
}
