package io.salesvoice.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

/** Close reasons quote client input; they must still fit a close frame (125 bytes, 2 of them the code). */
class CloseReasonTest {

  @Test
  void aShortReasonIsKeptAsItIs() {
    CloseStatus s = MediaConnection.closeStatus(1003, "unknown event 'teleport'");
    assertThat(s.getCode()).isEqualTo(1003);
    assertThat(s.getReason()).isEqualTo("unknown event 'teleport'");
  }

  @Test
  void aLongReasonIsCutToFitTheCloseFrameWithoutSplittingACharacter() {
    String parser = "malformed JSON: Unexpected character ('ж' (code 1078)): was expecting double-quote to start field "
        + "name\n at [Source: REDACTED; line: 1, column: 3] 日本語😀".repeat(3);
    CloseStatus s = MediaConnection.closeStatus(1007, parser);
    byte[] utf8 = s.getReason().getBytes(StandardCharsets.UTF_8);
    assertThat(utf8.length).isLessThanOrEqualTo(MediaConnection.MAX_CLOSE_REASON_BYTES);
    assertThat(s.getReason()).startsWith("malformed JSON: Unexpected character ('ж'").endsWith("…");
    assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(s.getReason());
  }

  @Test
  void reasonsOfManyMultiByteCharactersAreCutOnACharacter() {
    CloseStatus s = MediaConnection.closeStatus(1003, "unknown event '" + "😀".repeat(100) + "'");
    assertThat(s.getReason().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MediaConnection.MAX_CLOSE_REASON_BYTES);
    assertThat(s.getReason().codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF).count()).isZero();
  }
}
