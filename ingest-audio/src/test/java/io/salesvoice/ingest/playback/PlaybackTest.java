package io.salesvoice.ingest.playback;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.audio.G711;
import io.salesvoice.ingest.audio.TestAudio;
import io.salesvoice.ingest.media.OutFrame;
import io.salesvoice.ingest.media.TwilioProtocol;
import io.salesvoice.schema.audio.AfterTurn;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class PlaybackTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final List<OutFrame> sent = new ArrayList<>();
  private final List<Long> sentAt = new ArrayList<>();
  private Playback playback;

  @BeforeEach
  void startTwilioStream() {
    TwilioProtocol twilio = new TwilioProtocol();
    twilio.onText("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\","
        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}");
    playback = new Playback(twilio, f -> {
      sent.add(f);
      sentAt.add(time.now(TimeUnit.MILLISECONDS));
    }, time, () -> time.now(TimeUnit.MILLISECONDS), 40, new Playback.Listener() {
      @Override
      public void sent(int durationMs, Instant producedAt) {
      }

      @Override
      public void agentHungUp(String turnId) {
        hungUp.add(turnId + "@" + time.now(TimeUnit.MILLISECONDS));
      }
    });
  }

  private final List<String> hungUp = new ArrayList<>();

  private static AudioChunk goodbye(String turn, long seq, int ms) {
    return AudioChunk.newBuilder(chunk(turn, seq, ms, true)).setAfterTurn(AfterTurn.HANG_UP).build();
  }

  private static AudioChunk chunk(String turn, long seq, int ms, boolean last) {
    return AudioChunk.newBuilder().setCallId("c1").setSeq(seq).setChannel(Channel.AGENT).setCodec(AudioCodec.PCM16)
        .setSampleRate(16000).setMediaTimeMs(seq * ms).setDurationMs(ms)
        .setData(ByteBuffer.wrap(TestAudio.sineBytes(440, 16000, ms, 0.3))).setTurnId(turn).setLastOfTurn(last)
        .setProducedAt(Instant.EPOCH).build();
  }

  private long mediaFrames() {
    return sent.stream().filter(f -> f.text().contains("\"media\"")).count();
  }

  @Test
  void aTurnIsConvertedToTwentyMillisecondMulawFramesSentInRealTime() {
    playback.enqueue(chunk("t1", 0, 1000, true));
    time.advanceTimeBy(Duration.ZERO);
    // the lead goes at once, then one frame per 20 ms
    assertThat(mediaFrames()).isEqualTo(3);
    time.advanceTimeBy(Duration.ofMillis(500));
    assertThat(mediaFrames()).isEqualTo(28);
    time.advanceTimeBy(Duration.ofMillis(1000));
    assertThat(mediaFrames()).isEqualTo(50);
    assertThat(sent.get(sent.size() - 1).text()).contains("\"mark\"").contains("t1");
    String payload = sent.get(0).text().replaceAll(".*\"payload\":\"([^\"]+)\".*", "$1");
    byte[] mulaw = Base64.getDecoder().decode(payload);
    assertThat(mulaw).hasSize(160);
    assertThat(G711.mulawToLinear(mulaw[40])).isNotZero();
    // spacing between consecutive frames after the lead: 20 ms
    assertThat(sentAt.get(10) - sentAt.get(9)).isEqualTo(20);
  }

  @Test
  void aGoodbyeThatEndsTheCallHangsUpOnlyOnceTheCallerHasHeardItAll() {
    playback.enqueue(goodbye("bye", 0, 1000));
    // frames go out up to the lead (40 ms) ahead of the playhead: the last one was sent before 1000 ms, and the
    // hang-up waits until the provider has played it
    time.advanceTimeBy(Duration.ofMillis(990));
    assertThat(mediaFrames()).isEqualTo(50);
    assertThat(hungUp).isEmpty();
    time.advanceTimeBy(Duration.ofMillis(10));
    assertThat(hungUp).containsExactly("bye@1000");
    // nothing is played after the goodbye, and the caller talking over its end does not keep the call open
    assertThat(playback.enqueue(chunk("late", 0, 200, true))).isEqualTo(Playback.Outcome.CLOSED);
    assertThat(playback.bargeIn()).isEmpty();
    time.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(hungUp).hasSize(1);
  }

  @Test
  void aBareHangUpEndsTheCallAtOnce() {
    AudioChunk bare = AudioChunk.newBuilder(goodbye("bye", 0, 0)).setData(ByteBuffer.allocate(0)).setDurationMs(0)
        .build();
    playback.enqueue(bare);
    time.advanceTimeBy(Duration.ZERO);
    assertThat(hungUp).containsExactly("bye@0");
  }

  @Test
  void aGoodbyeCutOffByABargeInBeforeItsEndDoesNotHangUp() {
    playback.enqueue(goodbye("bye", 0, 1000));
    time.advanceTimeBy(Duration.ofMillis(300));
    assertThat(playback.bargeIn()).isPresent();
    time.advanceTimeBy(Duration.ofSeconds(5));
    // the dialog answers what the caller said over it; a call it had ended gets a bare hang-up turn
    assertThat(hungUp).isEmpty();
  }

  @Test
  void aTurnThatDoesNotEndTheCallNeverHangsUp() {
    playback.enqueue(chunk("t1", 0, 400, true));
    time.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(hungUp).isEmpty();
  }

  @Test
  void bargeInClearsTheProviderAndDropsTheRestOfTheTurn() {
    playback.enqueue(chunk("t1", 0, 1000, false));
    time.advanceTimeBy(Duration.ofMillis(300));
    long before = mediaFrames();
    assertThat(playback.isPlaying()).isTrue();

    var interrupted = playback.bargeIn();

    assertThat(interrupted).hasValueSatisfying(i -> {
      assertThat(i.turnId()).isEqualTo("t1");
      // sent 300 ms + 40 ms lead + the frame in flight; the caller heard about 300 ms of it
      assertThat(i.playedMs()).isBetween(280L, 320L);
    });
    assertThat(sent.get(sent.size() - 1).text()).contains("\"clear\"").contains("MZ1");
    assertThat(playback.enqueue(chunk("t1", 1, 200, true))).isEqualTo(Playback.Outcome.CANCELLED_TURN);
    time.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(mediaFrames()).isEqualTo(before);
    assertThat(playback.isPlaying()).isFalse();
    assertThat(playback.bargeIn()).isEmpty();

    assertThat(playback.enqueue(chunk("t2", 0, 100, true))).isEqualTo(Playback.Outcome.QUEUED);
    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(mediaFrames()).isEqualTo(before + 5);
  }

  @Test
  void aRedeliveredChunkIsNotPlayedTwice() {
    assertThat(playback.enqueue(chunk("t1", 0, 100, false))).isEqualTo(Playback.Outcome.QUEUED);
    assertThat(playback.enqueue(chunk("t1", 0, 100, false))).isEqualTo(Playback.Outcome.DUPLICATE);
    assertThat(playback.enqueue(chunk("t1", 1, 100, true))).isEqualTo(Playback.Outcome.QUEUED);
    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(mediaFrames()).isEqualTo(10);
  }

  @Test
  void nothingIsSentAfterClose() {
    playback.enqueue(chunk("t1", 0, 1000, true));
    time.advanceTimeBy(Duration.ofMillis(100));
    long before = mediaFrames();
    playback.close();
    time.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(mediaFrames()).isEqualTo(before);
    assertThat(playback.enqueue(chunk("t2", 0, 100, true))).isEqualTo(Playback.Outcome.CLOSED);
  }
}
