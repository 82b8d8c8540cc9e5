package io.salesvoice.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.ingest.audio.Pcm16;
import io.salesvoice.ingest.audio.WavFile;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

  private static WavFile stereo(int frames) {
    short[] interleaved = new short[frames * 2];
    for (int i = 0; i < frames; i++) {
      interleaved[2 * i] = 1000;      // left
      interleaved[2 * i + 1] = -2000; // right
    }
    return new WavFile(AudioCodec.PCM16, 8000, 2, Pcm16.toBytes(interleaved));
  }

  @Test
  void stereoBecomesAgentOnTheLeftAndCustomerOnTheRightInMediaTimeOrder() {
    ReplayPlan plan = ReplayPlan.of(stereo(8000), AudioFormat.PCM16_8K, 20, Channel.AGENT);
    List<ReplayPlan.Piece> pieces = plan.pieces();
    assertThat(pieces).hasSize(100);
    assertThat(plan.durationMs()).isEqualTo(1000);
    assertThat(pieces.get(0).channel()).isEqualTo(Channel.AGENT);
    assertThat(pieces.get(1).channel()).isEqualTo(Channel.CUSTOMER);
    assertThat(Pcm16.sampleAt(pieces.get(0).data(), 0)).isEqualTo((short) 1000);
    assertThat(Pcm16.sampleAt(pieces.get(1).data(), 0)).isEqualTo((short) -2000);
    assertThat(pieces.get(98).seq()).isEqualTo(49);
    assertThat(pieces.get(98).mediaTimeMs()).isEqualTo(980);
    assertThat(pieces).allSatisfy(p -> assertThat(p.data()).hasSize(320));
  }

  @Test
  void theLeftChannelCanBeTheCustomer() {
    ReplayPlan plan = ReplayPlan.of(stereo(160), AudioFormat.PCM16_8K, 20, Channel.CUSTOMER);
    assertThat(plan.pieces().get(0).channel()).isEqualTo(Channel.CUSTOMER);
    assertThat(Pcm16.sampleAt(plan.pieces().get(0).data(), 0)).isEqualTo((short) 1000);
    assertThat(plan.pieces().get(1).channel()).isEqualTo(Channel.AGENT);
  }

  @Test
  void monoIsTheCustomerResampledToThePipelineRateWithAShortLastChunk() {
    WavFile mono = new WavFile(AudioCodec.PCM16, 8000, 1, new byte[2 * 8100]);
    ReplayPlan plan = ReplayPlan.of(mono, AudioFormat.PCM16_16K, 20, Channel.AGENT);
    assertThat(plan.pieces()).hasSize(51).allSatisfy(p -> assertThat(p.channel()).isEqualTo(Channel.CUSTOMER));
    assertThat(plan.pieces().get(0).data()).hasSize(640);
    assertThat(plan.pieces().get(50).data()).hasSize(400);
  }
}
