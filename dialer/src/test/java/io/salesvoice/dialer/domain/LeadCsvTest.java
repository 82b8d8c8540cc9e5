package io.salesvoice.dialer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeadCsvTest {

  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  private static LeadCsv.Result parse(String csv) {
    return LeadCsv.parse(csv.getBytes(StandardCharsets.UTF_8), "spring", "en-US", NOW, 1000);
  }

  @Test
  void goodRowsBecomeLeadsWithNameAndCustomColumnsAsParameters() {
    LeadCsv.Result r = parse("""
        name,phone,timezone,language,product,city
        Anna,+7 999 123-45-67,Europe/Moscow,ru-RU,solar panels,Kazan
        "Smith, John",+14155550123,America/Los_Angeles,,"heat ""pump""\",SF
        """);

    assertThat(r.rejected()).isEmpty();
    assertThat(r.leads()).hasSize(2);
    var anna = r.leads().get(0);
    assertThat(anna.getPhoneNumber()).isEqualTo("+79991234567");
    assertThat(anna.getTimezone()).isEqualTo("Europe/Moscow");
    assertThat(anna.getLanguage()).isEqualTo("ru-RU");
    assertThat(anna.getParameters()).containsEntry("name", "Anna").containsEntry("product", "solar panels")
        .containsEntry("city", "Kazan").doesNotContainKeys("phone", "timezone", "language");
    var john = r.leads().get(1);
    assertThat(john.getParameters()).containsEntry("name", "Smith, John").containsEntry("product", "heat \"pump\"");
    assertThat(john.getLanguage()).as("blank language: the campaign's").isEqualTo("en-US");
    assertThat(anna.getLeadId()).isNotEqualTo(john.getLeadId()).doesNotContain("999").doesNotContain("|");
  }

  @Test
  void everyBadRowIsReportedWithItsNumberAndReasonAndTheGoodOnesAreKept() {
    LeadCsv.Result r = parse("""
        phone,name,timezone,language
        +79991112233,Good One,Europe/Moscow,ru-RU
        89991112233,No Plus,Europe/Moscow,ru-RU
        +7999,Too Short,Europe/Moscow,ru-RU
        ,Empty Phone,Europe/Moscow,ru-RU
        +79991112234,,Europe/Moscow,ru-RU
        +79991112235,Bad Zone,Mars/Olympus,ru-RU
        +79991112236,No Zone,,ru-RU
        +79991112237,Bad Language,Europe/Moscow,russian!
        +79991112238,Too Few,Europe/Moscow
        +79991112239,Too Many,Europe/Moscow,ru-RU,extra
        +79991112240,Good Two,Asia/Vladivostok,ru-RU
        """);

    assertThat(r.leads()).extracting(l -> l.getParameters().get("name")).containsExactly("Good One", "Good Two");
    assertThat(r.rejected()).extracting(LeadCsv.RowError::row).containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(r.rejected().get(0).reason()).contains("not an E.164").doesNotContain("89991112233");
    assertThat(r.rejected().get(1).reason()).contains("not an E.164");
    assertThat(r.rejected().get(2).reason()).isEqualTo("phone is empty");
    assertThat(r.rejected().get(3).reason()).isEqualTo("name is empty");
    assertThat(r.rejected().get(4).reason()).contains("'Mars/Olympus' is not a known IANA zone");
    assertThat(r.rejected().get(5).reason()).isEqualTo("timezone is empty");
    assertThat(r.rejected().get(6).reason()).contains("'russian!' is not a BCP 47 tag");
    assertThat(r.rejected().get(7).reason()).isEqualTo("expected 4 fields, found 3");
    assertThat(r.rejected().get(8).reason()).isEqualTo("expected 4 fields, found 5");
  }

  @Test
  void duplicatesByPhoneAreCollapsedIntoTheFirstRowWhateverTheFormatting() {
    LeadCsv.Result r = parse("""
        name,phone,timezone,language
        First,+7 (999) 111-22-33,Europe/Moscow,ru-RU
        Second,+79991112233,Europe/Moscow,ru-RU
        Other,+79991112244,Europe/Moscow,ru-RU
        Third,+7-999-111-22-33,Europe/Moscow,ru-RU
        """);

    assertThat(r.leads()).extracting(l -> l.getParameters().get("name")).containsExactly("First", "Other");
    assertThat(r.duplicateRows()).containsExactly(3, 5);
    assertThat(r.rejected()).isEmpty();
  }

  @Test
  void quotedFieldsMayHoldLineBreaksAndRowsKeepTheirNumbers() {
    LeadCsv.Result r = parse("name,phone,timezone,language,note\r\n"
        + "Anna,+79991112233,Europe/Moscow,ru-RU,\"two\r\nlines\"\r\n"
        + "\r\n"
        + "Bad,+1,Europe/Moscow,ru-RU,x\r\n");

    assertThat(r.leads()).hasSize(1);
    assertThat(r.leads().get(0).getParameters()).containsEntry("note", "two\r\nlines");
    assertThat(r.rejected()).extracting(LeadCsv.RowError::row).containsExactly(4);
  }

  @Test
  void aByteOrderMarkAndHeaderCaseAreAccepted() {
    LeadCsv.Result r = parse("\uFEFFName, Phone ,TimeZone,LANGUAGE\nAnna,+79991112233,UTC,ru-RU");
    assertThat(r.leads()).hasSize(1);
  }

  @Test
  void aFileWithoutTheRequiredColumnsIsRefusedAsAWhole() {
    assertThatThrownBy(() -> parse("name,phone,language\nAnna,+79991112233,ru-RU\n"))
        .isInstanceOf(LeadCsv.Refused.class).hasMessageContaining("lacks the column(s) timezone");
    assertThatThrownBy(() -> parse("")).isInstanceOf(LeadCsv.Refused.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> parse("name,phone,phone,timezone,language\n"))
        .isInstanceOf(LeadCsv.Refused.class).hasMessageContaining("'phone' appears twice");
    assertThatThrownBy(() -> parse("name,phone,timezone,language\n\"Anna,+79991112233,UTC,ru-RU\n"))
        .isInstanceOf(LeadCsv.Refused.class).hasMessageContaining("never closes");
    byte[] latin1 = "name,phone,timezone,language\nJos\u00e9,+79991112233,UTC,ru-RU\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> LeadCsv.parse(latin1, "c", "en-US", NOW, 10))
        .isInstanceOf(LeadCsv.Refused.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void moreRowsThanAllowedIsRefusedAsTooLarge() {
    StringBuilder csv = new StringBuilder("name,phone,timezone,language\n");
    for (int i = 0; i < 11; i++) {
      csv.append("N").append(i).append(",+7999111").append(String.format("%04d", i)).append(",UTC,ru-RU\n");
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(LeadCsv.parse(bytes, "c", "en-US", NOW, 11).leads()).hasSize(11);
    assertThatThrownBy(() -> LeadCsv.parse(bytes, "c", "en-US", NOW, 10))
        .isInstanceOfSatisfying(LeadCsv.Refused.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessageContaining("more than 10 lead rows");
  }
}
