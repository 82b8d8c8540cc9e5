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
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.engine.PocketSphinxSpeechToText;
import io.salesvoice.stt.speech.LibriVox;
import io.salesvoice.stt.speech.Speech;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.TranscriptionSettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real human speech no one here recorded (LibriVox, from Debian's pocketsphinx-testdata) through the worker on the
 * real broker: every recording is a call, its finals joined are scored against the reference transcription.
 */
@ExtendWith(LocalStackExtension.class)
class LibriVoxWordErrorRateTest {

  /**
   * Measured here with PocketSphinx in-process: 29.6% (21 errors in 71 words); the CLI it replaced, which split each
   * utterance where its own endpointer heard pauses, measured 36.6%.
   */
  private static final double MAX_WER = 0.33;

  private final KafkaStack stack;

  LibriVoxWordErrorRateTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void pocketSphinxThroughTheWorkerStaysUnderTheMeasuredWordErrorRate() throws Exception {
    assumeTrue(Speech.testdataAvailable() && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3")),
        "apt-get install pocketsphinx pocketsphinx-en-us pocketsphinx-testdata");
    List<LibriVox.Utterance> corpus = LibriVox.load();
    assertThat(corpus).hasSize(5);
    try (StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings());
         PocketSphinxSpeechToText engine = new PocketSphinxSpeechToText(PocketSphinxSpeechToText.Settings.defaults())) {
      String audioIn = clients.createTopicWithDeadLetters("librivox-in", 2);
      String calls = clients.createTopicWithDeadLetters("librivox-calls", 1);
      String transcripts = clients.createTopicWithDeadLetters("librivox-out", 2);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      CallTranscriber transcriber = new CallTranscriber(engine, TranscriptionSettings.defaults(), Clock.systemUTC(),
          new SttMetrics(meters));
      try (TranscriptionStage stage = new TranscriptionStage(transcriber, new TranscriptionStage.Topology(audioIn,
          calls, transcripts, "librivox-" + UUID.randomUUID(), 8, Duration.ofSeconds(1)), clients.settings(), sender,
          meters)) {
        stage.start();
        Map<String, LibriVox.Utterance> byCall = new LinkedHashMap<>();
        for (LibriVox.Utterance u : corpus) {
          String callId = "librivox-" + u.id();
          byCall.put(callId, u);
          short[] audio = Speech.concat(Speech.silence(u.sampleRate(), 300), u.audio(),
              Speech.silence(u.sampleRate(), 1000));
          long seq = 0;
          for (short[] c : Speech.chunks(audio, u.sampleRate(), 20)) {
            clients.send(audioIn, callId, AudioChunk.newBuilder().setCallId(callId).setSeq(seq)
                .setChannel(Channel.CUSTOMER).setCodec(AudioCodec.PCM16).setSampleRate(u.sampleRate())
                .setMediaTimeMs(seq * 20).setDurationMs(20).setData(ByteBuffer.wrap(Pcm.toLittleEndian(c)))
                .setProducedAt(Instant.now()).build());
            seq++;
          }
        }
        Map<String, String> hypotheses = Map.of();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline) && hypotheses.size() < byCall.size()) {
          List<Transcript> finals = clients.read(transcripts, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
              .map(r -> (Transcript) r.value()).filter(Transcript::getIsFinal).toList();
          hypotheses = finals.stream()
              .sorted(Comparator.comparingLong(Transcript::getStartMs))
              .collect(Collectors.groupingBy(Transcript::getCallId, LinkedHashMap::new,
                  Collectors.mapping(Transcript::getText, Collectors.joining(" "))));
          if (hypotheses.size() == byCall.size()) {
            Thread.sleep(3000);   // a recording may have been cut into several utterances: let the last finals in
            finals = clients.read(transcripts, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                .map(r -> (Transcript) r.value()).filter(Transcript::getIsFinal).toList();
            hypotheses = finals.stream()
                .sorted(Comparator.comparingLong(Transcript::getStartMs))
                .collect(Collectors.groupingBy(Transcript::getCallId, LinkedHashMap::new,
                    Collectors.mapping(Transcript::getText, Collectors.joining(" "))));
          }
        }
        int errors = 0;
        int words = 0;
        for (Map.Entry<String, LibriVox.Utterance> e : byCall.entrySet()) {
          String hyp = hypotheses.getOrDefault(e.getKey(), "");
          errors += Speech.errors(e.getValue().reference(), hyp);
          words += Speech.words(e.getValue().reference()).length;
          System.out.println("librivox " + e.getValue().id() + ": '" + hyp + "'");
        }
        double wer = (double) errors / words;
        System.out.printf("librivox WER through the worker (pocketsphinx): %.1f%% (%d/%d)%n", wer * 100, errors,
            words);
        assertThat(hypotheses).hasSize(5);
        assertThat(wer).isLessThanOrEqualTo(MAX_WER);
      }
    }
  }
}
