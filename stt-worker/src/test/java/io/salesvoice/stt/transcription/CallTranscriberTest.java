package io.salesvoice.stt.transcription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.turn.TurnSettings;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CallTranscriberTest {

  private static final int RATE = 16_000;

  private final RecordingEngine engine = new RecordingEngine();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
  private final List<Duration> latencies = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private int duplicates;
  private int late;
  private final TranscriptionListener listener = new TranscriptionListener() {
    @Override
    public void finalTranscript(String engine, Duration latency) {
      latencies.add(latency);
    }

    @Override
    public void engineError(String engine, Throwable error) {
      errors.add(error);
    }

    @Override
    public void duplicateChunk() {
      duplicates++;
    }

    @Override
    public void lateChunk() {
      late++;
    }
  };
  private final TranscriptionSettings settings = new TranscriptionSettings(
      new TurnSettings(Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofSeconds(5), null, null),
      -50, 12, Duration.ofMillis(300), "en-US", Duration.ofSeconds(30));
  private final CallTranscriber transcriber = new CallTranscriber(engine, settings, clock, listener);

  @Test
  void oneUtteranceGivesPartialsWhileSpeakingAndExactlyOneFinalWithMediaTimes() {
    // 1 s silence, 1.5 s speech, 1 s silence
    List<Transcript> out = feed("call-1", Channel.CUSTOMER, audio(1000, 1500, 1000), 0, AudioCodec.PCM16, RATE);

    List<Transcript> finals = out.stream().filter(Transcript::getIsFinal).toList();
    List<Transcript> partials = out.stream().filter(t -> !t.getIsFinal()).toList();
    assertThat(finals).hasSize(1);
    assertThat(partials).isNotEmpty();
    assertThat(out.get(out.size() - 1)).isSameAs(finals.get(0));
    Transcript fin = finals.get(0);
    assertThat(fin.getStartMs()).isBetween(1000L, 1040L);
    assertThat(fin.getEndMs()).isBetween(2480L, 2520L);
    assertThat(fin.getEngine()).isEqualTo("recording");
    assertThat(fin.getLanguage()).isEqualTo("en-US");
    assertThat(fin.getConfidence()).isEqualTo(0.75f);
    assertThat(fin.getChannel()).isEqualTo(Channel.CUSTOMER);
    assertThat(fin.getSpeechEndedAt()).isNotNull();
    assertThat(fin.getUtteranceId()).isEqualTo("call-1/customer/" + fin.getStartMs());
    assertThat(partials).allSatisfy(p -> {
      assertThat(p.getUtteranceId()).isEqualTo(fin.getUtteranceId());
      assertThat(p.getSpeechEndedAt()).isNull();
      assertThat(p.getEndMs()).isGreaterThan(p.getStartMs());
    });
    assertThat(partials).extracting(Transcript::getText).doesNotHaveDuplicates();
    // the engine got the utterance, its pre-roll and the end-of-turn silence, not the whole call
    RecordingEngine.Recorded session = engine.sessions.get(0);
    assertThat(session.finished).isTrue();
    assertThat(session.ms()).isBetween(1500L + 600 - 40, 1500L + 600 + 200 + 40);
    assertThat(latencies).hasSize(1);
  }

  @Test
  void preRollBeforeTheDetectedStartReachesTheEngine() {
    feed("call-pre", Channel.CUSTOMER, audio(1000, 1000, 1000), 0, AudioCodec.PCM16, RATE);
    // speech 1000 ms + end-of-turn silence 600 ms + pre-roll 200 ms
    assertThat(engine.sessions.get(0).ms()).isBetween(1760L, 1840L);
  }

  @Test
  void redeliveredChunksAreNotTranscribedTwice() {
    List<AudioChunk> chunks = chunks("call-2", Channel.CUSTOMER, audio(500, 1200, 1000), 0, AudioCodec.PCM16, RATE);
    List<Transcript> first = new ArrayList<>();
    for (AudioChunk c : chunks.subList(0, 60)) {
      first.addAll(transcriber.onAudio(c).collectList().block());
    }
    int samplesBefore = engine.sessions.get(0).samples;
    // a rebalance redelivers the last 30 chunks
    List<Transcript> replayed = new ArrayList<>();
    for (AudioChunk c : chunks.subList(30, 59)) {
      replayed.addAll(transcriber.onAudio(c).collectList().block());
    }
    assertThat(engine.sessions.get(0).samples).isEqualTo(samplesBefore);
    assertThat(replayed).isEmpty();
    assertThat(duplicates).isEqualTo(29);
    List<Transcript> rest = new ArrayList<>();
    for (AudioChunk c : chunks.subList(60, chunks.size())) {
      rest.addAll(transcriber.onAudio(c).collectList().block());
    }
    assertThat(engine.sessions).hasSize(1);
    assertThat(rest.stream().filter(Transcript::getIsFinal)).hasSize(1);
  }

  @Test
  void theLatestChunkAskedAgainGivesItsOutputsAgainWithoutNewAudio() {
    List<AudioChunk> chunks = chunks("call-3", Channel.CUSTOMER, audio(200, 800, 1000), 0, AudioCodec.PCM16, RATE);
    AudioChunk finalChunk = null;
    for (AudioChunk c : chunks) {
      List<Transcript> out = transcriber.onAudio(c).collectList().block();
      if (out.stream().anyMatch(Transcript::getIsFinal)) {
        finalChunk = c;
        break;
      }
    }
    assertThat(finalChunk).isNotNull();
    int samples = engine.sessions.get(0).samples;
    // the stage retries a record whose outputs could not be written: the same final comes back
    List<Transcript> again = transcriber.onAudio(finalChunk).collectList().block();
    assertThat(again).filteredOn(Transcript::getIsFinal).hasSize(1);
    assertThat(engine.sessions).hasSize(1);
    assertThat(engine.sessions.get(0).samples).isEqualTo(samples);
  }

  @Test
  void aFailedFinalIsRetriedWhenTheSameChunkIsHandledAgain() {
    engine.failuresLeft.set(1);
    List<AudioChunk> chunks = chunks("call-4", Channel.CUSTOMER, audio(200, 800, 1000), 0, AudioCodec.PCM16, RATE);
    AudioChunk failing = null;
    for (AudioChunk c : chunks) {
      try {
        transcriber.onAudio(c).collectList().block();
      } catch (IllegalStateException e) {
        failing = c;
        break;
      }
    }
    assertThat(failing).isNotNull();
    assertThat(errors).hasSize(1);
    List<Transcript> retried = transcriber.onAudio(failing).collectList().block();
    assertThat(retried).filteredOn(Transcript::getIsFinal).singleElement()
        .satisfies(t -> assertThat(t.getText()).startsWith("final"));
  }

  @Test
  void theCallsLanguageComesFromCallStarted() {
    transcriber.onCallStarted("call-5", "ru-RU");
    List<Transcript> out = feed("call-5", Channel.CUSTOMER, audio(200, 800, 1000), 0, AudioCodec.PCM16, RATE);
    assertThat(out).isNotEmpty().allSatisfy(t -> assertThat(t.getLanguage()).isEqualTo("ru-RU"));
    assertThat(engine.sessions.get(0).language).isEqualTo("ru-RU");
  }

  @Test
  void theCustomersNextUtterancesAreRecognizedAgainstTheDialogsExpectedPhrases() {
    short[] one = audio(200, 800, 1000);
    short[] four = new short[one.length * 4];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(one, 0, four, i * one.length, one.length);
    }
    List<AudioChunk> chunks = chunks("call-x", Channel.CUSTOMER, four, 0, AudioCodec.PCM16, RATE);
    int perUtterance = chunks.size() / 4;
    for (int i = 0; i < chunks.size(); i++) {
      if (i == perUtterance) {
        transcriber.onExpectedPhrases("call-x", List.of("да", "нет"));
        assertThat(transcriber.expectedPhrases("call-x")).containsExactly("да", "нет");
        feed("call-x", Channel.AGENT, one, 0, AudioCodec.PCM16, RATE);
      } else if (i == 3 * perUtterance) {
        transcriber.onExpectedPhrases("call-x", List.of());
      }
      transcriber.onAudio(chunks.get(i)).collectList().block();
    }
    // before the dialog said anything: none; the agent's own voice is never held to them; an empty list clears them
    assertThat(engine.sessions).extracting(r -> r.expected).containsExactly(List.of(), List.of(),
        List.of("да", "нет"), List.of("да", "нет"), List.of());
    assertThat(transcriber.expectedPhrases("unknown-call")).isEmpty();
  }

  @Test
  void callEndedFlushesTheOpenUtteranceAndForgetsTheCall() {
    List<Transcript> during = feed("call-6", Channel.CUSTOMER, audio(200, 1000, 0), 0, AudioCodec.PCM16, RATE);
    assertThat(during).noneMatch(Transcript::getIsFinal);
    assertThat(transcriber.activeCalls()).isEqualTo(1);
    assertThat(transcriber.speakingCalls()).isEqualTo(1);

    List<Transcript> flushed = transcriber.onCallEnded("call-6", 1200).collectList().block();
    assertThat(flushed).singleElement().satisfies(t -> {
      assertThat(t.getIsFinal()).isTrue();
      assertThat(t.getEndMs()).isBetween(1180L, 1220L);
    });
    assertThat(transcriber.activeCalls()).isZero();
    assertThat(transcriber.onCallEnded("call-6", 1200).collectList().block()).isEmpty();
  }

  @Test
  void anEndReadBeforeTheCallsLastAudioWaitsForItAndTheFinalComesWithTheLastChunk() {
    // calls and audio are separate topics: a replay's end can be read while its last second is still on its way
    List<AudioChunk> chunks = chunks("call-late", Channel.CUSTOMER, audio(200, 1000, 0), 0, AudioCodec.PCM16, RATE);
    List<Transcript> out = new ArrayList<>();
    for (AudioChunk c : chunks.subList(0, 10)) {
      out.addAll(transcriber.onAudio(c).collectList().block());
    }
    assertThat(transcriber.onCallEnded("call-late", 1200).collectList().block()).isEmpty();
    assertThat(transcriber.activeCalls()).isEqualTo(1);
    for (AudioChunk c : chunks.subList(10, chunks.size())) {
      out.addAll(transcriber.onAudio(c).collectList().block());
    }
    assertThat(out).filteredOn(Transcript::getIsFinal).singleElement()
        .satisfies(t -> assertThat(t.getEndMs()).isBetween(1180L, 1220L));   // all of the speech, at once
    assertThat(transcriber.activeCalls()).isZero();
  }

  @Test
  void anEndedCallWhoseAudioNeverComesIsFlushedAfterTheGraceNotTheIdleTimeout() {
    feed("call-cut", Channel.CUSTOMER, audio(200, 1000, 0), 0, AudioCodec.PCM16, RATE);
    assertThat(transcriber.onCallEnded("call-cut", 5000).collectList().block()).isEmpty();
    clock.advance(CallTranscriber.END_GRACE.minusMillis(1));
    assertThat(transcriber.evictIdle().collectList().block()).isEmpty();
    clock.advance(Duration.ofMillis(2));
    assertThat(transcriber.evictIdle().collectList().block()).singleElement()
        .satisfies(t -> assertThat(t.getIsFinal()).isTrue());
    assertThat(transcriber.activeCalls()).isZero();
  }

  @Test
  void anEndedCallWaitingForAFinalIsKeptPastTheGraceAndItsQueuedAudioFinishesIt() {
    // A slow final (the language model decoding free speech on a busy machine) holds the call's later records: the
    // stage hands them in only once it is out. Forgetting the call meanwhile made that audio start a new call, whose
    // open utterance then held a decoder until the idle timeout.
    engine.finalsGate = new java.util.concurrent.CompletableFuture<>();
    List<AudioChunk> chunks = chunks("call-slow", Channel.CUSTOMER, audio(200, 1000, 1500), 0, AudioCodec.PCM16, RATE);
    int ending = -1;
    List<Transcript> finals = new CopyOnWriteArrayList<>();
    for (int i = 0; i < chunks.size() && ending < 0; i++) {
      transcriber.onAudio(chunks.get(i)).subscribe(finals::add);   // as the stage does: subscribed, waiting
      if (!engine.sessions.isEmpty() && engine.sessions.get(0).finished) {
        ending = i;
      }
    }
    assertThat(ending).as("the utterance ended").isPositive();
    assertThat(finals).noneMatch(Transcript::getIsFinal);
    long durationMs = 2700;
    assertThat(transcriber.onCallEnded("call-slow", durationMs).collectList().block()).isEmpty();

    clock.advance(CallTranscriber.END_GRACE.multipliedBy(10));
    assertThat(transcriber.evictIdle().collectList().block()).isEmpty();
    assertThat(transcriber.activeCalls()).as("kept while its final is decoded").isEqualTo(1);

    engine.finalsGate.complete(null);
    assertThat(finals).filteredOn(Transcript::getIsFinal).hasSize(1);
    clock.advance(CallTranscriber.END_GRACE.minusMillis(500));
    assertThat(transcriber.evictIdle().collectList().block()).as("the grace counts from the final").isEmpty();
    for (AudioChunk c : chunks.subList(ending + 1, chunks.size())) {
      assertThat(transcriber.onAudio(c).collectList().block()).isEmpty();
    }
    assertThat(transcriber.activeCalls()).as("all its audio is in: gone").isZero();
    assertThat(engine.sessions).hasSize(1);
    assertThat(late).isZero();
  }

  @Test
  void audioOfACallAlreadyEndedAndForgottenIsDroppedAndOpensNoUtterance() {
    List<AudioChunk> chunks = chunks("call-gone", Channel.CUSTOMER, audio(200, 1000, 200), 0, AudioCodec.PCM16, RATE);
    for (AudioChunk c : chunks.subList(0, 20)) {
      transcriber.onAudio(c).collectList().block();
    }
    transcriber.onCallEnded("call-gone", 1400).collectList().block();
    clock.advance(CallTranscriber.END_GRACE.plusMillis(1));
    assertThat(transcriber.evictIdle().collectList().block()).singleElement()
        .satisfies(t -> assertThat(t.getIsFinal()).isTrue());
    int opened = engine.sessions.size();

    for (AudioChunk c : chunks.subList(20, chunks.size())) {
      assertThat(transcriber.onAudio(c).collectList().block()).isEmpty();
    }
    assertThat(engine.sessions).hasSize(opened);
    assertThat(transcriber.activeCalls()).isZero();
    assertThat(late).isEqualTo(chunks.size() - 20);
    // its redelivered end and the dialog's last turn do not bring it back either
    assertThat(transcriber.onCallEnded("call-gone", 1400).collectList().block()).isEmpty();
    transcriber.onExpectedPhrases("call-gone", List.of("yes"));
    assertThat(transcriber.activeCalls()).isZero();
  }

  @Test
  void idleCallsAreFlushedAndForgottenOthersAreKept() {
    feed("idle", Channel.CUSTOMER, audio(200, 1000, 0), 0, AudioCodec.PCM16, RATE);
    clock.advance(Duration.ofSeconds(20));
    feed("busy", Channel.CUSTOMER, audio(200, 0, 0), 0, AudioCodec.PCM16, RATE);
    clock.advance(Duration.ofSeconds(15));

    List<Transcript> flushed = transcriber.evictIdle().collectList().block();
    assertThat(flushed).singleElement().satisfies(t -> assertThat(t.getCallId()).isEqualTo("idle"));
    assertThat(transcriber.activeCalls()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(20));
    assertThat(transcriber.evictIdle().collectList().block()).isEmpty();   // nothing was being said
    assertThat(transcriber.activeCalls()).isZero();
  }

  @Test
  void stereoReplayTranscribesBothSpeakersSeparately() {
    List<Transcript> customer = feed("call-7", Channel.CUSTOMER, audio(100, 800, 1000), 0, AudioCodec.PCM16, RATE);
    List<Transcript> agent = feed("call-7", Channel.AGENT, audio(1000, 600, 1000), 0, AudioCodec.PCM16, RATE);
    assertThat(customer).filteredOn(Transcript::getIsFinal).singleElement()
        .satisfies(t -> assertThat(t.getChannel()).isEqualTo(Channel.CUSTOMER));
    assertThat(agent).filteredOn(Transcript::getIsFinal).singleElement()
        .satisfies(t -> {
          assertThat(t.getChannel()).isEqualTo(Channel.AGENT);
          assertThat(t.getUtteranceId()).contains("/agent/");
          assertThat(t.getStartMs()).isBetween(1000L, 1040L);
        });
    assertThat(engine.sessions).hasSize(2);
  }

  @Test
  void mulawTelephonyAudioReachesTheEngineUpsampledTo16k() {
    List<Transcript> out = feed("call-8", Channel.CUSTOMER, audio8k(300, 1000, 1000), 0, AudioCodec.MULAW, 8000);
    assertThat(out).filteredOn(Transcript::getIsFinal).hasSize(1);
    // 1000 ms speech + 600 ms silence + 200 ms pre-roll at 16 kHz
    assertThat(engine.sessions.get(0).ms()).isBetween(1760L, 1840L);
    assertThat(engine.sessions.get(0).sumOfSquares).isPositive();
  }

  @Test
  void chunksOfAnySizeGiveTheSameUtterance() {
    short[] a = audio(400, 900, 800);
    List<Transcript> small = feed("c10", Channel.CUSTOMER, a, 0, AudioCodec.PCM16, RATE, 7);
    List<Transcript> big = feed("c100", Channel.CUSTOMER, a, 0, AudioCodec.PCM16, RATE, 100);
    Transcript s = small.stream().filter(Transcript::getIsFinal).findFirst().orElseThrow();
    Transcript b = big.stream().filter(Transcript::getIsFinal).findFirst().orElseThrow();
    assertThat(s.getStartMs()).isEqualTo(b.getStartMs());
    assertThat(s.getEndMs()).isEqualTo(b.getEndMs());
    assertThat(s.getText()).isEqualTo(b.getText());
  }

  @Test
  void mediaTimesFollowTheChunksMediaTime() {
    List<Transcript> out = feed("call-9", Channel.CUSTOMER, audio(0, 800, 1000), 60_000, AudioCodec.PCM16, RATE);
    assertThat(out).filteredOn(Transcript::getIsFinal).singleElement()
        .satisfies(t -> assertThat(t.getStartMs()).isBetween(60_000L, 60_040L));
  }

  @Test
  void aMonologueIsCutIntoFinalsAtTheMaximumLength() {
    List<Transcript> out = feed("call-10", Channel.CUSTOMER, audio(100, 7000, 1000), 0, AudioCodec.PCM16, RATE);
    List<Transcript> finals = out.stream().filter(Transcript::getIsFinal).toList();
    assertThat(finals).hasSize(2);
    assertThat(finals.get(0).getEndMs() - finals.get(0).getStartMs()).isBetween(4960L, 5040L);
    assertThat(finals.get(1).getStartMs()).isEqualTo(finals.get(0).getEndMs());
    assertThat(finals).extracting(Transcript::getUtteranceId).doesNotHaveDuplicates();
  }

  @Test
  void silenceAndShortClicksGiveNothing() {
    short[] a = audio(1000, 0, 0);
    short[] click = audio(0, 60, 0);
    System.arraycopy(click, 0, a, 8000, click.length);
    assertThat(feed("call-11", Channel.CUSTOMER, a, 0, AudioCodec.PCM16, RATE)).isEmpty();
    assertThat(engine.sessions).isEmpty();
  }

  @Test
  void anUtteranceTheEngineHeardNothingInGivesNoFinalUnlessPartialsWereSent() {
    engine.silentFinals = true;
    TranscriptionSettings noPartials = new TranscriptionSettings(settings.turns(), -50, 12, Duration.ofHours(1),
        "en-US", Duration.ofSeconds(30));
    CallTranscriber quiet = new CallTranscriber(engine, noPartials, clock, listener);
    List<Transcript> out = new ArrayList<>();
    for (AudioChunk c : chunks("call-12", Channel.CUSTOMER, audio(100, 800, 1000), 0, AudioCodec.PCM16, RATE)) {
      out.addAll(quiet.onAudio(c).collectList().block());
    }
    assertThat(out).isEmpty();
    // with partials on, the utterance was announced and must be closed by a final, even an empty one
    List<Transcript> announced = feed("call-13", Channel.CUSTOMER, audio(100, 800, 1000), 0, AudioCodec.PCM16, RATE);
    assertThat(announced).filteredOn(Transcript::getIsFinal).singleElement()
        .satisfies(t -> assertThat(t.getText()).isEmpty());
  }

  @Test
  void unsupportedCodecsAndRatesAreRejected() {
    AudioChunk unknown = chunks("bad", Channel.CUSTOMER, new short[320], 0, AudioCodec.PCM16, RATE).get(0);
    unknown.setCodec(AudioCodec.UNKNOWN);
    assertThatThrownBy(() -> transcriber.onAudio(unknown)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codec");
    AudioChunk zeroRate = chunks("bad", Channel.CUSTOMER, new short[320], 0, AudioCodec.PCM16, RATE).get(0);
    zeroRate.setSampleRate(0);
    assertThatThrownBy(() -> transcriber.onAudio(zeroRate)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- helpers

  private List<Transcript> feed(String callId, Channel channel, short[] audio, long mediaStart, AudioCodec codec,
      int rate) {
    return feed(callId, channel, audio, mediaStart, codec, rate, 20);
  }

  private List<Transcript> feed(String callId, Channel channel, short[] audio, long mediaStart, AudioCodec codec,
      int rate, int chunkMs) {
    List<Transcript> out = new ArrayList<>();
    for (AudioChunk c : chunks(callId, channel, audio, mediaStart, codec, rate, chunkMs)) {
      out.addAll(transcriber.onAudio(c).collectList().block());
    }
    return out;
  }

  static List<AudioChunk> chunks(String callId, Channel channel, short[] audio, long mediaStart, AudioCodec codec,
      int rate) {
    return chunks(callId, channel, audio, mediaStart, codec, rate, 20);
  }

  static List<AudioChunk> chunks(String callId, Channel channel, short[] audio, long mediaStart, AudioCodec codec,
      int rate, int chunkMs) {
    List<AudioChunk> out = new ArrayList<>();
    int size = Math.max(1, rate * chunkMs / 1000);
    long seq = 0;
    for (int i = 0; i < audio.length; i += size) {
      int n = Math.min(size, audio.length - i);
      short[] part = new short[n];
      System.arraycopy(audio, i, part, 0, n);
      byte[] data;
      if (codec == AudioCodec.MULAW) {
        data = new byte[n];
        for (int k = 0; k < n; k++) {
          data[k] = Pcm.encodeMulaw(part[k]);
        }
      } else {
        data = Pcm.toLittleEndian(part);
      }
      out.add(AudioChunk.newBuilder().setCallId(callId).setSeq(seq++).setChannel(channel).setCodec(codec)
          .setSampleRate(rate).setMediaTimeMs(mediaStart + (long) i * 1000 / rate).setDurationMs(n * 1000 / rate)
          .setData(ByteBuffer.wrap(data)).setProducedAt(Instant.now()).build());
    }
    return out;
  }

  /** Quiet line noise, then a syllabic voiced sound, then quiet again. */
  static short[] audio(int silenceMs, int speechMs, int trailingMs) {
    return synth(RATE, silenceMs, speechMs, trailingMs);
  }

  static short[] audio8k(int silenceMs, int speechMs, int trailingMs) {
    return synth(8000, silenceMs, speechMs, trailingMs);
  }

  static short[] synth(int rate, int silenceMs, int speechMs, int trailingMs) {
    Random random = new Random(silenceMs * 31L + speechMs);
    int n = rate * (silenceMs + speechMs + trailingMs) / 1000;
    short[] s = new short[n];
    int speechFrom = rate * silenceMs / 1000;
    int speechTo = speechFrom + rate * speechMs / 1000;
    for (int i = 0; i < n; i++) {
      double v = random.nextGaussian() * 20;
      if (i >= speechFrom && i < speechTo) {
        double t = (double) i / rate;
        double envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
        v += 6000 * envelope * (Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t)
            + 0.3 * Math.sin(2 * Math.PI * 700 * t)) / 1.8;
      }
      s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
    return s;
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
