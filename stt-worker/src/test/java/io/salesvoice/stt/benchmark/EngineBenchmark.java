package io.salesvoice.stt.benchmark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Codec;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.engine.PocketSphinxSpeechToText;
import io.salesvoice.stt.engine.SpeechToText;
import io.salesvoice.stt.engine.Sphinx4SpeechToText;
import io.salesvoice.stt.speech.LibriVox;
import io.salesvoice.stt.speech.Speech;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.TranscriptionListener;
import io.salesvoice.stt.transcription.TranscriptionSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rerunnable measurements of the embedded engines on the LibriVox recordings: decoding speed (RTF), word error rate
 * (wide-band, and telephone band: mu-law 8 kHz upsampled), and end of turn detected → final transcript latency with
 * audio paced in real time through the transcriber. Excluded from the build; run with
 * {@code ./mvnw -B -ntp -o -pl stt-worker test -Dgroups=benchmark -Dstt.excludedGroups=none -Dtest=EngineBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; the report goes to {@code stt-worker/target/benchmark.md}.
 */
@Tag("benchmark")
class EngineBenchmark {

  @Test
  void embeddedEngines() throws Exception {
    assumeTrue(Speech.testdataAvailable(), "apt-get install pocketsphinx-testdata");
    List<LibriVox.Utterance> corpus = LibriVox.load();
    StringBuilder report = new StringBuilder();
    report.append("| engine | audio | RTF (median) | WER | final latency p50 / p90 (ms) |\n|---|---|---|---|---|\n");
    int beam = Integer.getInteger("beam", 3000);
    StringBuilder replays = new StringBuilder();
    if (!Boolean.getBoolean("skipPocketsphinx") && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3"))) {
      try (PocketSphinxSpeechToText ps = new PocketSphinxSpeechToText(PocketSphinxSpeechToText.Settings.defaults())) {
        ps.warmUp().block();
        measure("pocketsphinx", ps, corpus, false, report);
        replays.append(replaySpeed("pocketsphinx", ps, corpus, PocketSphinxSpeechToText.Settings.defaults().decoders()));
      }
    }
    try (Sphinx4SpeechToText sphinx4 = new Sphinx4SpeechToText(new Sphinx4SpeechToText.Settings(1, beam, 30,
        null, null, null))) {
      long t0 = System.nanoTime();
      sphinx4.warmUp().block();
      report.insert(0, "Sphinx4 model load: " + (System.nanoTime() - t0) / 1_000_000 + " ms, beam " + beam + "\n\n");
      measure("sphinx4", sphinx4, corpus, false, report);
      if (!Boolean.getBoolean("skipTelephone")) {
        measure("sphinx4", sphinx4, corpus, true, report);
      }
    }
    report.append("\n").append(replays);
    report.insert(0, "Load average at the end: " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
        + " on " + Runtime.getRuntime().availableProcessors() + " cores\n\n");
    System.out.println(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/benchmark.md"), report.toString());
  }

  private static void measure(String name, SpeechToText engine, List<LibriVox.Utterance> corpus, boolean telephone,
      StringBuilder report) throws IOException {
    List<Double> rtfs = new ArrayList<>();
    int errors = 0;
    int words = 0;
    for (LibriVox.Utterance u : corpus) {
      short[] audio = telephone ? telephone(u.audio(), u.sampleRate()) : u.audio();
      long start = System.nanoTime();
      SpeechToText.Session s = engine.open("en-US");
      for (short[] c : Speech.chunks(audio, 16_000, 20)) {
        s.accept(c);
      }
      String hyp = s.finish().block(Duration.ofMinutes(5)).text();
      rtfs.add((System.nanoTime() - start) / 1e6 / (audio.length / 16.0));
      errors += Speech.errors(u.reference(), hyp);
      words += Speech.words(u.reference()).length;
      System.out.println(name + (telephone ? " 8k" : " 16k") + " " + u.id() + ": " + hyp);
    }
    List<Duration> latencies = paced(engine, corpus, telephone);
    Collections.sort(rtfs);
    report.append(String.format("| %s | %s | %.2f | %.1f%% (%d/%d) | %d / %d |%n", name,
        telephone ? "mu-law 8 kHz → 16 kHz" : "16 kHz", rtfs.get(rtfs.size() / 2), 100.0 * errors / words, errors,
        words, percentile(latencies, 0.5), percentile(latencies, 0.9)));
    System.out.println("REPORT so far:\n" + report);
  }

  /**
   * How fast recorded calls are transcribed when every decoder works at once (a QA replay at speed 0): the whole corpus
   * once per decoder, each recording as one session fed as fast as the engine takes it; audio seconds per wall second.
   */
  private static String replaySpeed(String name, SpeechToText engine, List<LibriVox.Utterance> corpus, int decoders) {
    List<short[]> recordings = new ArrayList<>();
    for (int d = 0; d < decoders; d++) {
      corpus.forEach(u -> recordings.add(u.audio()));
    }
    double audioSeconds = recordings.stream().mapToDouble(a -> a.length / 16_000.0).sum();
    long start = System.nanoTime();
    reactor.core.publisher.Flux.fromIterable(recordings)
        .flatMap(audio -> {
          SpeechToText.Session s = engine.open("en-US");
          Speech.chunks(audio, 16_000, 20).forEach(s::accept);
          return s.finish();
        }, decoders)
        .blockLast(Duration.ofMinutes(10));
    double wall = (System.nanoTime() - start) / 1e9;
    return String.format("Replay speed, %s, %d decoders at once: %.1f s of audio in %.1f s = **%.1f× real time**%n%n",
        name, decoders, audioSeconds, wall, audioSeconds / wall);
  }

  /** Through the transcriber, audio paced in real time (20 ms chunks): end of turn detected → final. */
  private static List<Duration> paced(SpeechToText engine, List<LibriVox.Utterance> corpus, boolean telephone)
      throws IOException {
    List<Duration> latencies = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    CallTranscriber transcriber = new CallTranscriber(engine, TranscriptionSettings.defaults(), Clock.systemUTC(),
        new TranscriptionListener() {
          @Override
          public void finalTranscript(String e, Duration latency) {
            latencies.add(latency);
          }
        });
    for (LibriVox.Utterance u : corpus) {
      String callId = "bench-" + u.id() + (telephone ? "-8k" : "");
      int rate = telephone ? 8000 : u.sampleRate();
      short[] audio = Speech.concat(Speech.silence(u.sampleRate(), 300), u.audio(), Speech.silence(u.sampleRate(),
          1000));
      if (telephone) {
        audio = Speech.resample(audio, u.sampleRate(), 8000);
      }
      long seq = 0;
      long next = System.nanoTime();
      List<Transcript> out = new ArrayList<>();
      for (short[] c : Speech.chunks(audio, rate, 20)) {
        byte[] data;
        if (telephone) {
          data = new byte[c.length];
          for (int i = 0; i < c.length; i++) {
            data[i] = Pcm.encodeMulaw(c[i]);
          }
        } else {
          data = Pcm.toLittleEndian(c);
        }
        AudioChunk chunk = AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.CUSTOMER)
            .setCodec(telephone ? AudioCodec.MULAW : AudioCodec.PCM16).setSampleRate(rate).setMediaTimeMs(seq * 20)
            .setDurationMs(20).setData(ByteBuffer.wrap(data)).setProducedAt(Instant.now()).build();
        // finals are awaited off the pacing loop's clock: subscribe and let them complete in the background
        pending.incrementAndGet();
        transcriber.onAudio(chunk).doFinally(signal -> pending.decrementAndGet()).subscribe(out::add);
        seq++;
        next += 20_000_000L;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          try {
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      transcriber.onCallEnded(callId, 0).blockLast(Duration.ofMinutes(5));
    }
    // wait for the last finals
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline) && (transcriber.speakingCalls() > 0 || pending.get() > 0)) {
      sleepQuietly();
    }
    sleepQuietly();
    return latencies;
  }

  private static short[] telephone(short[] wide, int rate) {
    short[] narrow = Speech.resample(wide, rate, 8000);
    byte[] mulaw = new byte[narrow.length];
    for (int i = 0; i < narrow.length; i++) {
      mulaw[i] = Pcm.encodeMulaw(narrow[i]);
    }
    return Speech.resample(Pcm.decode(Codec.MULAW, mulaw), 8000, 16_000);
  }

  private static long percentile(List<Duration> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> ms = new ArrayList<>(values.stream().map(Duration::toMillis).toList());
    Collections.sort(ms);
    return ms.get(Math.min(ms.size() - 1, (int) Math.ceil(p * ms.size()) - 1));
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
