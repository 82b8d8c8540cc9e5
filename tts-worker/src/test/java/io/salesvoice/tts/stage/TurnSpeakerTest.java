package io.salesvoice.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.schema.audio.AfterTurn;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.tts.audio.OutputFormat;
import io.salesvoice.tts.text.TextNormalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class TurnSpeakerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final CallRegistry calls = new CallRegistry(1000, Duration.ofHours(1), Clock.systemUTC());
  private ToneEngine engine = new ToneEngine(Duration.ZERO);
  private TurnSpeaker speaker = speaker(engine, new AudioCache(0, 0));

  private TurnSpeaker speaker(ToneEngine engine, AudioCache cache) {
    return new TurnSpeaker(engine, new TextNormalizer(), calls, cache, new TtsMetrics(meters),
        new TurnSpeaker.Settings(OutputFormat.of(AudioCodec.PCM16, 16000), Duration.ofMillis(50)));
  }

  @Test
  void speaksInTheCallsFormatIn20MsFramesNumberedFromZero() {
    calls.started("c1", OutputFormat.telephone(), 3);
    List<AudioChunk> audio = speak(turn("c1", "t1", 0, "one two", true));

    assertThat(audio).hasSize(10);   // two words, 100 ms each
    assertThat(audio).allSatisfy(a -> {
      assertThat(a.getCodec()).isEqualTo(AudioCodec.MULAW);
      assertThat(a.getSampleRate()).isEqualTo(8000);
      assertThat(a.getData().remaining()).isEqualTo(160);
      assertThat(a.getDurationMs()).isEqualTo(20);
      assertThat(a.getChannel()).isEqualTo(Channel.AGENT);
      assertThat(a.getTurnId()).isEqualTo("t1");
    });
    assertThat(audio).extracting(AudioChunk::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(audio).extracting(AudioChunk::getMediaTimeMs).startsWith(0L, 20L, 40L).endsWith(180L);
    assertThat(audio).extracting(AudioChunk::getLastOfTurn).containsOnlyOnce(true).last().isEqualTo(true);
    assertThat(speaker.replyPartition(turn("c1", "t1", 0, "x", true, -1))).contains(3);
    assertThat(speaker.replyPartition(turn("c1", "t1", 0, "x", true, 7))).contains(7);
  }

  @Test
  void framesContinueAcrossChunksAndTurns() {
    calls.started("c2", OutputFormat.telephone(), 0);
    List<AudioChunk> first = speak(turn("c2", "t1", 0, "one", false));
    List<AudioChunk> second = speak(turn("c2", "t1", 1, "two", true));
    List<AudioChunk> next = speak(turn("c2", "t2", 0, "three", true));

    assertThat(first).extracting(AudioChunk::getLastOfTurn).containsOnly(false);
    assertThat(first).extracting(AudioChunk::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(second).extracting(AudioChunk::getSeq).containsExactly(5L, 6L, 7L, 8L, 9L);
    assertThat(second.get(4).getLastOfTurn()).isTrue();
    assertThat(next.get(0).getSeq()).isEqualTo(10L);
    assertThat(next.get(0).getMediaTimeMs()).isEqualTo(200L);
  }

  @Test
  void redeliveredChunkIsNotSpokenTwice() {
    calls.started("c3", OutputFormat.telephone(), 0);
    assertThat(speak(turn("c3", "t1", 0, "hello there", false))).hasSize(10);
    assertThat(speak(turn("c3", "t1", 0, "hello there", false))).isEmpty();
    assertThat(engine.requests).hasSize(1);
    assertThat(meters.counter("sva.tts.turns.skipped", "reason", "duplicate").count()).isEqualTo(1);
  }

  @Test
  void aChunkRetriedAfterAFailureKeepsItsSeqs() {
    calls.started("c4", OutputFormat.telephone(), 0);
    // The first attempt dies after three frames (e.g. the send failed): not finished, so not a duplicate.
    List<AudioChunk> partial = speaker.speak(turn("c4", "t1", 0, "one two", true)).take(3).collectList().block(WAIT);
    List<AudioChunk> retried = speak(turn("c4", "t1", 0, "one two", true));

    assertThat(partial).extracting(AudioChunk::getSeq).containsExactly(0L, 1L, 2L);
    assertThat(retried).hasSize(10);
    assertThat(retried.get(0).getSeq()).isZero();
  }

  @Test
  void bargeInStopsTheTurnMidSentenceAndDropsItsRest() {
    engine = new ToneEngine(Duration.ofMillis(20));
    speaker = speaker(engine, new AudioCache(0, 0));
    calls.started("c5", OutputFormat.telephone(), 0);
    List<AudioChunk> heard = new CopyOnWriteArrayList<>();

    speaker.speak(turn("c5", "t1", 0, "a long sentence of many words indeed", false))
        .doOnNext(a -> {
          heard.add(a);
          if (heard.size() == 3) {
            calls.bargeIn("c5", "t1");
          }
        })
        .blockLast(WAIT);

    assertThat(heard.size()).isBetween(3, 5);   // a frame or two may be on the way when the signal lands
    assertThat(heard).extracting(AudioChunk::getLastOfTurn).containsOnly(false);
    assertThat(speak(turn("c5", "t1", 1, "and the rest", true))).isEmpty();
    assertThat(meters.counter("sva.tts.turns.skipped", "reason", "cancelled").count()).isEqualTo(1);

    List<AudioChunk> answer = speak(turn("c5", "t2", 0, "sorry go ahead", true));
    assertThat(answer.get(0).getSeq()).isEqualTo(heard.size());
  }

  @Test
  void bargeInWithoutATurnIdStopsTheCurrentTurn() {
    calls.started("c6", OutputFormat.telephone(), 0);
    speak(turn("c6", "t1", 0, "first", false));
    calls.bargeIn("c6", null);
    assertThat(speak(turn("c6", "t1", 1, "second", true))).isEmpty();
  }

  @Test
  void aNewerTurnSupersedesTheRestOfTheOlderOne() {
    calls.started("c7", OutputFormat.telephone(), 0);
    speak(turn("c7", "t1", 0, "first", false));
    assertThat(speak(turn("c7", "t2", 0, "newer", true))).hasSize(5);
    assertThat(speak(turn("c7", "t1", 1, "stale rest", true))).isEmpty();
  }

  @Test
  void nothingIsSpokenAfterTheCallEnded() {
    calls.started("c8", OutputFormat.telephone(), 0);
    calls.ended("c8");
    assertThat(speak(turn("c8", "t1", 0, "anyone there", true))).isEmpty();
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void aCallWhoseStartWasNotSeenGetsTheDefaultFormat() {
    List<AudioChunk> audio = speak(turn("c9", "t1", 0, "hello", true));
    assertThat(audio).allSatisfy(a -> {
      assertThat(a.getCodec()).isEqualTo(AudioCodec.PCM16);
      assertThat(a.getData().remaining()).isEqualTo(640);
    });
    assertThat(speaker.replyPartition(turn("c9", "t1", 0, "x", true, -1))).isEmpty();
    // only the first turn waits for the missing CallStarted
    long started = System.nanoTime();
    assertThat(calls.call("c9").awaitFormat(Duration.ofSeconds(5)).blockOptional(WAIT)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aTurnWaitsBrieflyForItsCallsStart() {
    Flux<AudioChunk> audio = speaker.speak(turn("c10", "t1", 0, "hello", true));
    List<AudioChunk>[] result = new List[1];
    Thread t = new Thread(() -> result[0] = audio.collectList().block(WAIT));
    t.start();
    calls.started("c10", OutputFormat.of(AudioCodec.ALAW, 8000), 0);
    try {
      t.join(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(result[0]).isNotEmpty().allSatisfy(a -> assertThat(a.getCodec()).isEqualTo(AudioCodec.ALAW));
  }

  @Test
  void repeatedLinesComeFromTheCache() {
    speaker = speaker(engine, new AudioCache(1_000_000, 100_000));
    calls.started("c11", OutputFormat.telephone(), 0);
    calls.started("c12", OutputFormat.telephone(), 0);
    List<AudioChunk> first = speak(turn("c11", "t1", 0, "one moment please", true));
    List<AudioChunk> again = speak(turn("c12", "t9", 0, "one moment please", true));

    assertThat(engine.requests).hasSize(1);
    assertThat(again).hasSameSizeAs(first);
    assertThat(again.get(0).getData()).isEqualTo(first.get(0).getData());
    assertThat(again).extracting(AudioChunk::getCallId).containsOnly("c12");
    assertThat(meters.timer("sva.tts.first_audio", "engine", "tone", "source", "cache").count()).isEqualTo(1);
    assertThat(meters.timer("sva.tts.first_audio", "engine", "tone", "source", "engine").count()).isEqualTo(1);
  }

  @Test
  void aCampaignHasItsOwnVoiceUnlessTheTurnNamesOne() {
    speaker = new TurnSpeaker(engine, new TextNormalizer(), calls, new AudioCache(1_000_000, 100_000),
        new TtsMetrics(meters), new TurnSpeaker.Settings(OutputFormat.telephone(), Duration.ofMillis(50),
            java.util.Map.of("spring-promo", java.util.Map.of("en", "en-gb", "ru", "ru"))));
    calls.started("c15", OutputFormat.telephone(), 0, "spring-promo");
    calls.started("c16", OutputFormat.telephone(), 0, "other");
    speak(turn("c15", "t1", 0, "hello", true));
    speak(DialogTurn.newBuilder(turn("c15", "t2", 0, "hello", true)).setVoice("en-us+f3").build());
    speak(turn("c16", "t1", 0, "hello", true));

    assertThat(engine.requests).extracting(r -> r.voice()).containsExactly("en-gb", "en-us+f3", null);
  }

  @Test
  void numbersAreSpokenAsWords() {
    calls.started("c13", OutputFormat.telephone(), 0);
    speak(turn("c13", "t1", 0, "It costs $25.", true));
    assertThat(engine.requests.get(0).text()).isEqualTo("It costs twenty-five dollars.");
  }

  @Test
  void aBareHangUpStillMarksTheEndOfTheTurn() {
    calls.started("c14", OutputFormat.telephone(), 0);
    List<AudioChunk> audio = speak(turn("c14", "t1", 0, "", true));
    assertThat(audio).singleElement().satisfies(a -> {
      assertThat(a.getLastOfTurn()).isTrue();
      assertThat(a.getDurationMs()).isZero();
      assertThat(a.getData().remaining()).isZero();
    });
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void onlyTheLastAudioOfAHangUpTurnTellsTheGatewayToHangUp() {
    calls.started("c15", OutputFormat.telephone(), 0);
    List<AudioChunk> first = speak(hangUp(turn("c15", "t1", 0, "Thank you.", false)));
    List<AudioChunk> last = speak(hangUp(turn("c15", "t1", 1, "Goodbye.", true)));
    assertThat(first).isNotEmpty().allSatisfy(a -> assertThat(a.getAfterTurn()).isEqualTo(AfterTurn.CONTINUE));
    assertThat(last.subList(0, last.size() - 1)).allSatisfy(a -> assertThat(a.getAfterTurn()).isEqualTo(AfterTurn.CONTINUE));
    assertThat(last.get(last.size() - 1)).satisfies(a -> {
      assertThat(a.getLastOfTurn()).isTrue();
      assertThat(a.getAfterTurn()).isEqualTo(AfterTurn.HANG_UP);
    });
    // a bare hang-up (no text) carries it on its one empty chunk
    assertThat(speak(hangUp(turn("c15", "t2", 0, "", true)))).singleElement()
        .satisfies(a -> assertThat(a.getAfterTurn()).isEqualTo(AfterTurn.HANG_UP));
    // a turn that goes on speaking never does
    assertThat(speak(turn("c15", "t3", 0, "Anything else?", true)))
        .allSatisfy(a -> assertThat(a.getAfterTurn()).isEqualTo(AfterTurn.CONTINUE));
  }

  private static DialogTurn hangUp(DialogTurn turn) {
    return DialogTurn.newBuilder(turn).setAction(DialogAction.HANG_UP).build();
  }

  private List<AudioChunk> speak(DialogTurn turn) {
    return speaker.speak(turn).collectList().block(WAIT);
  }

  static DialogTurn turn(String callId, String turnId, int chunk, String text, boolean last) {
    return turn(callId, turnId, chunk, text, last, -1);
  }

  static DialogTurn turn(String callId, String turnId, int chunk, String text, boolean last, int replyPartition) {
    return DialogTurn.newBuilder()
        .setCallId(callId)
        .setTurnId(turnId)
        .setChunkIndex(chunk)
        .setText(text)
        .setLastChunk(last)
        .setAction(DialogAction.SPEAK)
        .setLanguage("en-US")
        .setEngine("script")
        .setReplyPartition(replyPartition)
        .setProducedAt(Instant.now())
        .build();
  }
}
