package io.salesvoice.stt.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.deadletter.DeadLetter;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.speech.Speech;
import io.salesvoice.stt.speech.TestEngines;
import io.salesvoice.stt.engine.SpeechToText;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.OneDecoderEngine;
import io.salesvoice.stt.transcription.RecordingEngine;
import io.salesvoice.stt.transcription.TranscriptionSettings;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker on the real broker and registry, with the real default engine: audio chunks in, transcripts out. */
@ExtendWith(LocalStackExtension.class)
class TranscriptionStageTest {

  private static final Duration WAIT = Duration.ofSeconds(180);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private TranscriptionStage stage;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private String audioIn;
  private String calls;
  private String transcripts;

  TranscriptionStageTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void connect() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    audioIn = clients.createTopicWithDeadLetters("audio-in", 2);
    calls = clients.createTopicWithDeadLetters("calls", 2);
    transcripts = clients.createTopicWithDeadLetters("transcripts", 2);
  }

  private void startStage(SpeechToText engine) {
    startStage(engine, TranscriptionSettings.defaults(), Duration.ofSeconds(1));
  }

  private void startStage(SpeechToText engine, TranscriptionSettings settings, Duration idleCheck) {
    SttMetrics metrics = new SttMetrics(meters);
    CallTranscriber transcriber = new CallTranscriber(engine, settings, Clock.systemUTC(), metrics);
    metrics.watch(transcriber);
    stage = new TranscriptionStage(transcriber, new TranscriptionStage.Topology(audioIn, calls, transcripts,
        "stt-" + UUID.randomUUID(), 4, idleCheck), clients.settings(), sender, meters);
    stage.start();
  }

  @AfterEach
  void stop() {
    if (stage != null) {
      stage.close();
    }
    sender.close();
    clients.close();
  }

  @Test
  void chunksInGivePartialsWhileSpeakingThenExactlyOneFinalAndRedeliveriesAreIgnored() {
    RecordingEngine engine = new RecordingEngine();
    startStage(engine);
    String callId = "call-" + UUID.randomUUID();
    clients.send(calls, callId, callStarted(callId, "en-GB"));
    waitForActiveCalls(1);   // sva.calls and sva.audio.in are consumed independently
    List<AudioChunk> chunks = mulawChunks(callId, syllables(400, 1500, 1000));
    for (int i = 0; i < chunks.size(); i++) {
      clients.send(audioIn, callId, chunks.get(i));
      if (i == 40 || i == 41) {
        clients.send(audioIn, callId, chunks.get(i - 10));   // redelivered audio, e.g. a gateway retry
      }
    }

    List<Transcript> out = readUntilFinal(callId);
    List<Transcript> finals = out.stream().filter(Transcript::getIsFinal).toList();
    assertThat(finals).hasSize(1);
    Transcript fin = finals.get(0);
    List<Transcript> partials = out.stream().filter(t -> !t.getIsFinal()).toList();
    assertThat(partials).isNotEmpty().allSatisfy(p -> {
      assertThat(p.getUtteranceId()).isEqualTo(fin.getUtteranceId());
      assertThat(p.getProducedAt()).isBeforeOrEqualTo(fin.getProducedAt());
    });
    assertThat(out.get(out.size() - 1)).isEqualTo(fin);
    // the engine heard the utterance once: 1500 ms speech + 600 ms silence + 200 ms pre-roll, no redelivered audio
    assertThat(fin.getText()).matches("final \\d+ ms");
    assertThat(engine.sessions).singleElement().satisfies(s -> assertThat(s.ms()).isBetween(2260L, 2340L));
    assertThat(fin.getLanguage()).isEqualTo("en-GB");
    assertThat(fin.getEngine()).isEqualTo("recording");
    assertThat(fin.getStartMs()).isBetween(400L, 440L);
    assertThat(fin.getEndMs()).isBetween(1880L, 1920L);
    assertThat(fin.getSpeechEndedAt()).isNotNull();
    assertThat(meters.find("sva.stt.latency").tag("engine", "recording").timer().count()).isEqualTo(1);
    assertThat(meters.counter("sva.stt.chunks.duplicate").count()).isEqualTo(2);

    clients.send(calls, callId, callEnded(callId));
    waitForNoActiveCalls();
  }

  @Test
  void realTelephoneSpeechIsRecognisedBySphinx4() {
    assumeTrue(Speech.espeakAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
    startStage(TestEngines.sphinx4());
    String callId = "call-" + UUID.randomUUID();
    String said = "I would like to book a meeting";
    short[] speech = Speech.concat(Speech.silence(8000, 400), Speech.synthesize("en-us+f2", said, 8000),
        Speech.silence(8000, 1000));
    for (AudioChunk c : mulawChunks(callId, speech)) {
      clients.send(audioIn, callId, c);
      sleep(20);   // as a live call sends it
    }

    List<Transcript> out = readUntilFinal(callId);
    List<Transcript> finals = out.stream().filter(Transcript::getIsFinal).toList();
    assertThat(finals).hasSize(1);
    Transcript fin = finals.get(0);
    System.out.println("sphinx4 through the stage: partials " + out.stream().filter(t -> !t.getIsFinal())
        .map(Transcript::getText).toList() + ", final '" + fin.getText() + "'");
    assertThat(Speech.wordErrorRate(said, fin.getText())).isLessThanOrEqualTo(0.5);
    assertThat(out).allSatisfy(t -> assertThat(t.getUtteranceId()).isEqualTo(fin.getUtteranceId()));
    assertThat(fin.getEngine()).isEqualTo("sphinx4");
    assertThat(fin.getLanguage()).isEqualTo("en-US");
    assertThat(fin.getStartMs()).isBetween(300L, 600L);
    assertThat(fin.getEndMs()).isBetween(fin.getStartMs() + 1000, (long) speech.length / 8 - 900);
    assertThat(fin.getProducedAt()).isAfterOrEqualTo(fin.getSpeechEndedAt());
    assertThat(meters.find("sva.stt.latency").tag("engine", "sphinx4").timer().count()).isEqualTo(1);
  }

  @Test
  void callEndedMidSentenceFlushesItsFinalAndBadAudioIsDeadLettered() {
    RecordingEngine engine = new RecordingEngine();
    startStage(engine);
    String callId = "call-" + UUID.randomUUID();
    // a tone burst with no pause after it: only the end of the call can close the utterance
    short[] tone = new short[8000];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 300 * i / 8000.0) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * i
          / 8000.0)));
    }
    for (AudioChunk c : mulawChunks(callId, Speech.concat(Speech.silence(8000, 200), tone))) {
      clients.send(audioIn, callId, c);
    }
    AudioChunk bad = mulawChunks(callId, Speech.silence(8000, 20)).get(0);
    bad.setSeq(10_000);
    bad.setCodec(AudioCodec.UNKNOWN);
    clients.send(audioIn, callId, bad);
    waitForActiveCalls(1);
    clients.send(calls, callId, callEnded(callId));

    DeadLetter letter = (DeadLetter) clients.read(audioIn + ".dlq", 1, WAIT).get(0).value();
    assertThat(letter.getReason()).contains("unsupported audio codec");
    waitForNoActiveCalls();
    List<Transcript> finals = readUntilFinal(callId).stream().filter(Transcript::getIsFinal).toList();
    assertThat(finals).singleElement().satisfies(t -> {
      assertThat(t.getStartMs()).isBetween(200L, 240L);
      assertThat(t.getEndMs()).isBetween(1180L, 1220L);   // the end of the audio: no silence ever came
    });
    assertThat(engine.sessions).singleElement().satisfies(s -> assertThat(s.finished).isTrue());
  }

  @Test
  void anIdleCallWhoseFinalWaitsForTheDecoderDoesNotStopTheIdleCallsAheadOfItFromBeingFlushed() {
    // Y speaks first and holds the one decoder; X speaks, then goes quiet mid-sentence (a dropped line) while Y still
    // talks; then Y's line drops too. X is flushed first and its final waits for the decoder Y holds: only flushing Y
    // frees it. The sweeper once waited for X's final before looking for idle calls again, and both calls hung for good.
    OneDecoderEngine engine = new OneDecoderEngine();
    TranscriptionSettings d = TranscriptionSettings.defaults();
    startStage(engine, new TranscriptionSettings(d.turns(), d.vadThresholdDb(), d.vadMarginDb(), d.partialInterval(),
        d.defaultLanguage(), Duration.ofSeconds(2)), Duration.ofMillis(200));
    String y = "call-y-" + UUID.randomUUID();
    String x = "call-x-" + UUID.randomUUID();
    List<AudioChunk> yChunks = mulawChunks(y, syllables(200, 4000, 0));   // no silence after it: never ends by itself
    List<AudioChunk> xChunks = mulawChunks(x, syllables(200, 600, 0));
    int ySent = 30;
    yChunks.subList(0, ySent).forEach(c -> clients.send(audioIn, y, c));
    waitFor(() -> engine.sessions() == 1);
    xChunks.forEach(c -> clients.send(audioIn, x, c));
    waitFor(() -> engine.sessions() == 2);
    // Y goes on talking, live, for longer than X's idle timeout
    for (AudioChunk c : yChunks.subList(ySent, yChunks.size())) {
      clients.send(audioIn, y, c);
      sleep(20);
    }

    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    List<Transcript> finals = List.of();
    while (Instant.now().isBefore(deadline) && finals.size() < 2) {
      finals = clients.read(transcripts, 1000, Duration.ofSeconds(2)).stream()
          .map(ConsumerRecord::value).map(Transcript.class::cast)
          .filter(t -> t.getIsFinal() && (t.getCallId().equals(x) || t.getCallId().equals(y))).toList();
    }
    assertThat(finals).extracting(Transcript::getCallId).contains(x, y);
    waitForNoActiveCalls();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
      sleep();
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private List<Transcript> readUntilFinal(String callId) {
    Instant deadline = Instant.now().plus(WAIT);
    List<Transcript> out = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      out = clients.read(transcripts, 1000, Duration.ofSeconds(2)).stream()
          .map(ConsumerRecord::value).map(Transcript.class::cast)
          .filter(t -> t.getCallId().equals(callId)).toList();
      if (out.stream().anyMatch(Transcript::getIsFinal)) {
        // let a wrongly duplicated final show up before asserting there is one
        return clients.read(transcripts, 1000, Duration.ofSeconds(3)).stream()
            .map(ConsumerRecord::value).map(Transcript.class::cast)
            .filter(t -> t.getCallId().equals(callId)).toList();
      }
    }
    return out;
  }

  private void waitForActiveCalls(int n) {
    Instant deadline = Instant.now().plus(WAIT);
    while (meters.get("sva.stt.calls.active").gauge().value() < n && Instant.now().isBefore(deadline)) {
      sleep();
    }
    assertThat(meters.get("sva.stt.calls.active").gauge().value()).isGreaterThanOrEqualTo(n);
  }

  private void waitForNoActiveCalls() {
    Instant deadline = Instant.now().plus(WAIT);
    while (meters.get("sva.stt.calls.active").gauge().value() > 0 && Instant.now().isBefore(deadline)) {
      sleep();
    }
    assertThat(meters.get("sva.stt.calls.active").gauge().value()).isZero();
  }

  private static void sleep() {
    sleep(100);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Quiet line noise, a syllabic voiced sound, quiet again; 8 kHz. */
  static short[] syllables(int silenceMs, int speechMs, int trailingMs) {
    java.util.Random random = new java.util.Random(11);
    int n = 8 * (silenceMs + speechMs + trailingMs);
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      double t = i / 8000.0;
      double v = random.nextGaussian() * 20;
      if (i >= 8 * silenceMs && i < 8 * (silenceMs + speechMs)) {
        v += 6000 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)) * Math.sin(2 * Math.PI * 160 * t);
      }
      s[i] = (short) Math.round(v);
    }
    return s;
  }

  static List<AudioChunk> mulawChunks(String callId, short[] audio) {
    List<AudioChunk> out = new ArrayList<>();
    long seq = 0;
    for (short[] c : Speech.chunks(audio, 8000, 20)) {
      byte[] data = new byte[c.length];
      for (int i = 0; i < c.length; i++) {
        data[i] = Pcm.encodeMulaw(c[i]);
      }
      out.add(AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.CUSTOMER)
          .setCodec(AudioCodec.MULAW).setSampleRate(8000).setMediaTimeMs(seq * 20).setDurationMs(20)
          .setData(ByteBuffer.wrap(data)).setProducedAt(Instant.now()).build());
      seq++;
    }
    return out;
  }

  static CallEvent callStarted(String callId, String language) {
    return CallEvent.newBuilder().setCallId(callId).setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEvent(CallStarted.newBuilder().setDirection(CallDirection.OUTBOUND).setProvider("simulated")
            .setLanguage(language).setCodec(AudioCodec.MULAW).setSampleRate(8000).setGatewayInstance("test")
            .setReplyPartition(0).build())
        .build();
  }

  /** The last chunk of a dialog turn saying what the customer is expected to answer next. */
  static DialogTurn dialogTurn(String callId, int turn, List<String> expected) {
    return DialogTurn.newBuilder().setCallId(callId).setTurnId(callId + ":t" + turn).setChunkIndex(0)
        .setText("Вам удобно сейчас говорить?").setLastChunk(true).setAction(DialogAction.SPEAK).setState("greeting")
        .setLanguage("ru-RU").setEngine("script").setExpectedPhrases(expected).setProducedAt(Instant.now()).build();
  }

  static CallEvent callEnded(String callId) {
    return CallEvent.newBuilder().setCallId(callId).setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEvent(CallEnded.newBuilder().setReason(CallEndReason.CUSTOMER_HANGUP).setDurationMs(5000).build())
        .build();
  }
}
