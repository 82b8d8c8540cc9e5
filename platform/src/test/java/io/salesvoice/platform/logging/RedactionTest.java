package io.salesvoice.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void aPhoneNumberKeepsItsCountryPrefixAndLastTwoDigits() {
    assertThat(Redaction.maskPhone("+79991234567")).isEqualTo("+7999*****67");
    assertThat(Redaction.maskPhone("8 (999) 123-45-67")).isEqualTo("8999*****67");
    assertThat(Redaction.maskPhone("112")).isEqualTo("***");
    assertThat(Redaction.maskPhone(null)).isNull();
  }

  @Test
  void phoneNumbersInsideTextAreMaskedAndTheRestIsKept() {
    assertThat(Redaction.maskPhonesIn("call me at +1 415 555 0199 after 5"))
        .isEqualTo("call me at +1415*****99 after 5")
        .doesNotContain("555");
  }

  @Test
  void urlsLoseTheirCredentialsAndSecretPaths() {
    assertThat(Redaction.maskUrl("https://acme.bitrix24.ru/rest/1/s3cr3tt0ken/"))
        .isEqualTo("https://acme.bitrix24.ru/***").doesNotContain("s3cr3t");
    assertThat(Redaction.maskUrl("http://bob:pw@registry:8081/apis")).isEqualTo("http://registry:8081/***");
    assertThat(Redaction.maskUrl("not a url at all")).isEqualTo("***");
  }
}
