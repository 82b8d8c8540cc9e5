package io.salesvoice.analytics.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void caseSpacesDashesAndUnderscoresDoNotMatterInAnyScript() {
    assertThat(Names.normalize("Next_Step")).isEqualTo("nextstep");
    assertThat(Names.normalize(" do-not call 2 ")).isEqualTo("donotcall2");
    assertThat(Names.normalize("Не_интересно")).isEqualTo("неинтересно");
    assertThat(Names.normalize("Ärger-Frei")).isEqualTo("ärgerfrei");
    assertThat(Names.normalize("")).isEmpty();
    assertThat(Names.normalize(null)).isEmpty();
  }
}
