package io.salesvoice.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.schema.audio.AudioCodec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolParsingTest {

  private static final String TWILIO_START = "{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\","
      + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1},"
      + "\"customParameters\":{\"token\":\"t\",\"leadId\":\"l1\"}}}";

  @Test
  void twilioStartCarriesFormatTokenAndParameters() {
    TwilioProtocol twilio = new TwilioProtocol();
    var started = (MediaEvent.Started) twilio.onText(TWILIO_START).get(0);
    assertThat(started.format().codec()).isEqualTo(AudioCodec.MULAW);
    assertThat(started.token()).isEqualTo("t");
    assertThat(started.parameters()).containsEntry("leadId", "l1").containsEntry("streamSid", "MZ1")
        .doesNotContainKey("token");
    var audio = (MediaEvent.Audio) twilio.onText("{\"event\":\"media\",\"media\":{\"track\":\"inbound\","
        + "\"payload\":\"AAEC\"}}").get(0);
    assertThat(audio.data()).containsExactly(0, 1, 2);
    assertThat(twilio.onText("{\"event\":\"media\",\"media\":{\"track\":\"outbound\",\"payload\":\"AAEC\"}}").get(0))
        .isInstanceOf(MediaEvent.Ignored.class);
    assertThat(twilio.clear().orElseThrow().text()).isEqualTo("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}");
  }

  @Test
  void twilioRefusesWhatItDoesNotKnow() {
    TwilioProtocol twilio = new TwilioProtocol();
    assertThatThrownBy(() -> twilio.onText("{\"event\":\"media\",\"media\":{\"payload\":\"AAEC\"}}"))
        .isInstanceOfSatisfying(MediaProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1008));
    assertThatThrownBy(() -> twilio.onText("not json"))
        .isInstanceOfSatisfying(MediaProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1007));
    assertThatThrownBy(() -> twilio.onText("[1,2]"))
        .isInstanceOfSatisfying(MediaProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1007));
    assertThatThrownBy(() -> twilio.onText("{\"event\":\"hello\"}"))
        .isInstanceOfSatisfying(MediaProtocolException.class, e -> assertThat(e.metricReason()).isEqualTo("unknown_event"));
    assertThatThrownBy(() -> twilio.onText(TWILIO_START.replace("\"channels\":1", "\"channels\":2")))
        .isInstanceOfSatisfying(MediaProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1003));
    assertThatThrownBy(() -> twilio.onBinary(new byte[4])).isInstanceOf(MediaProtocolException.class);
  }

  @Test
  void voximplantNamesItsEncodingsItsOwnWay() {
    VoximplantProtocol vox = new VoximplantProtocol();
    var started = (MediaEvent.Started) vox.onText("{\"event\":\"start\",\"start\":{\"mediaFormat\":{\"encoding\":"
        + "\"PCM16\",\"sampleRate\":16000},\"customParameters\":{\"token\":\"t\"}}}").get(0);
    assertThat(started.format().sampleRate()).isEqualTo(16000);
    assertThat(started.format().codec()).isEqualTo(AudioCodec.PCM16);
    assertThat(vox.onText("{\"event\":\"stop\",\"stop\":{\"mediaInfo\":{}}}").get(0))
        .isInstanceOf(MediaEvent.Stopped.class);
    assertThatThrownBy(() -> new VoximplantProtocol().onText("{\"event\":\"start\",\"start\":{\"mediaFormat\":"
        + "{\"encoding\":\"PCM16\",\"sampleRate\":48000}}}"))
        .isInstanceOfSatisfying(MediaProtocolException.class,
            e -> assertThat(e.metricReason()).isEqualTo("unsupported_sample_rate"));
  }

  @Test
  void rawPcmTakesItsFormatFromTheUrl() {
    PcmProtocol pcm = new PcmProtocol(Map.of("rate", "8000", "token", "t", "leadId", "l"));
    var started = (MediaEvent.Started) pcm.onConnect().get(0);
    assertThat(started.format().sampleRate()).isEqualTo(8000);
    assertThat(started.parameters()).containsOnlyKeys("leadId");
    assertThatThrownBy(() -> pcm.onBinary(new byte[3])).isInstanceOf(MediaProtocolException.class);
    assertThatThrownBy(() -> new PcmProtocol(Map.of("rate", "abc"))).isInstanceOf(MediaProtocolException.class);
    assertThat(pcm.audio(new byte[] {1, 2}).binary()).containsExactly(1, 2);
  }
}
