package io.salesvoice.stt.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.speech.RussianAnswers;
import io.salesvoice.stt.speech.Speech;
import io.salesvoice.stt.speech.TestEngines;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.TranscriptionSettings;
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

/**
 * A Russian call through the real stage on the in-process broker and registry: the dialog's turns on their topic say
 * what the customer is expected to answer, the customer's Russian answers come as 8 kHz mu-law chunks in real time, and
 * the finals on sva.transcripts are the expected phrases — Sphinx4's English model with the Russian-to-ARPAbet
 * dictionary, the grammar switched when the dialog moves to another state.
 */
@ExtendWith(LocalStackExtension.class)
class RussianExpectedPhrasesStageTest {

  private static final Duration WAIT = Duration.ofSeconds(180);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private TranscriptionStage stage;
  private CallTranscriber transcriber;
  private String audioIn;
  private String calls;
  private String turns;
  private String transcripts;

  RussianExpectedPhrasesStageTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void start() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    audioIn = clients.createTopicWithDeadLetters("audio-in", 2);
    calls = clients.createTopicWithDeadLetters("calls", 2);
    turns = clients.createTopicWithDeadLetters("dialog-turns", 2);
    transcripts = clients.createTopicWithDeadLetters("transcripts", 2);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SttMetrics metrics = new SttMetrics(meters);
    transcriber = new CallTranscriber(TestEngines.sphinx4(), TranscriptionSettings.defaults(), Clock.systemUTC(),
        metrics);
    metrics.watch(transcriber);
    stage = new TranscriptionStage(transcriber, new TranscriptionStage.Topology(audioIn, calls, turns, transcripts,
        "stt-" + UUID.randomUUID(), 4, Duration.ofSeconds(1)), clients.settings(), sender, meters);
    stage.start();
  }

  @AfterEach
  void stop() {
    stage.close();
    sender.close();
    clients.close();
  }

  @Test
  void russianAnswersAreTranscribedAsThePhrasesTheDialogExpects() {
    assumeTrue(Speech.festivalRussianAvailable(), "apt-get install festival festvox-ru");
    String callId = "call-" + UUID.randomUUID();
    clients.send(calls, callId, TranscriptionStageTest.callStarted(callId, "ru-RU"));
    // the greeting's last chunk: what the customer may answer to "Вам удобно сейчас говорить?"
    clients.send(turns, callId, TranscriptionStageTest.dialogTurn(callId, 0, RussianAnswers.GREETING));
    awaitExpected(callId, RussianAnswers.GREETING);

    long seq = 0;
    long media = 0;
    List<AudioChunk> first = chunks(callId, "не интересно", seq, media);
    send(first);
    Transcript notInterested = awaitFinal(callId, 1);
    assertThat(notInterested.getText()).isEqualTo("не интересно");
    assertThat(notInterested.getLanguage()).isEqualTo("ru-RU");
    assertThat(notInterested.getEngine()).isEqualTo("sphinx4");
    assertThat(notInterested.getConfidence()).isEqualTo(1f);

    // the dialog moved on to the objection... then to the callback: a date is expected now, and no "да"
    clients.send(turns, callId, TranscriptionStageTest.dialogTurn(callId, 1, RussianAnswers.CALLBACK));
    awaitExpected(callId, RussianAnswers.CALLBACK);
    AudioChunk last = first.get(first.size() - 1);
    send(chunks(callId, "в понедельник", last.getSeq() + 1, last.getMediaTimeMs() + last.getDurationMs()));
    Transcript monday = awaitFinal(callId, 2);
    assertThat(monday.getText()).isEqualTo("в понедельник");
    assertThat(monday.getStartMs()).isGreaterThan(notInterested.getEndMs());
  }

  private void awaitExpected(String callId, List<String> phrases) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!transcriber.expectedPhrases(callId).equals(phrases) && Instant.now().isBefore(deadline)) {
      sleep(50);
    }
    assertThat(transcriber.expectedPhrases(callId)).isEqualTo(phrases);
  }

  /** {@code said} by Festival's Russian voice on an 8 kHz line, with silence around, as mu-law chunks. */
  private static List<AudioChunk> chunks(String callId, String said, long firstSeq, long mediaStart) {
    short[] audio = Speech.concat(Speech.silence(8000, 400), Speech.festivalRussian(said, 8000),
        Speech.silence(8000, 1000));
    List<AudioChunk> out = new ArrayList<>();
    for (AudioChunk c : TranscriptionStageTest.mulawChunks(callId, audio)) {
      c.setSeq(c.getSeq() + firstSeq);
      c.setMediaTimeMs(c.getMediaTimeMs() + mediaStart);
      out.add(c);
    }
    return out;
  }

  private void send(List<AudioChunk> chunks) {
    for (AudioChunk c : chunks) {
      clients.send(audioIn, c.getCallId().toString(), c);
      sleep(20);   // as a live call sends it
    }
  }

  /** The call's {@code n}th final transcript. */
  private Transcript awaitFinal(String callId, int n) {
    Instant deadline = Instant.now().plus(WAIT);
    List<Transcript> finals = List.of();
    while (Instant.now().isBefore(deadline)) {
      finals = clients.read(transcripts, 1000, Duration.ofSeconds(2)).stream()
          .map(ConsumerRecord::value).map(Transcript.class::cast)
          .filter(t -> t.getCallId().equals(callId) && t.getIsFinal()).toList();
      if (finals.size() >= n) {
        System.out.println("russian through the stage: final '" + finals.get(n - 1).getText() + "'");
        return finals.get(n - 1);
      }
    }
    throw new AssertionError("no final " + n + " for " + callId + " within " + WAIT + ": " + finals);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
