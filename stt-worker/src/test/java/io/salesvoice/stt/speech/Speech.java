package io.salesvoice.stt.speech;

import io.salesvoice.stt.audio.Resampler;
import io.salesvoice.stt.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Test audio: speech synthesized by eSpeak NG at test time, and the recordings of Debian's pocketsphinx-testdata. */
public final class Speech {

  public static final Path TESTDATA = Path.of("/usr/share/pocketsphinx/test/data");

  private Speech() {
  }

  public static boolean espeakAvailable() {
    return Files.isExecutable(Path.of("/usr/bin/espeak-ng"));
  }

  /** Festival with the CMU SLT HTS voice (Debian {@code festival}, {@code festvox-us-slt-hts}): natural US English. */
  public static boolean festivalEnglishAvailable() {
    return Files.isExecutable(Path.of("/usr/bin/text2wave"))
        && Files.isDirectory(Path.of("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts"));
  }

  /** {@code text} spoken by Festival's CMU SLT voice, resampled to {@code rate}. */
  public static short[] festivalEnglish(String text, int rate) {
    return spoken(text, rate, text, "text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", "%WAV%");
  }

  /** Festival with its Russian voice (Debian {@code festival}, {@code festvox-ru}). */
  public static boolean festivalRussianAvailable() {
    return Files.isExecutable(Path.of("/usr/bin/text2wave"))
        && Files.isDirectory(Path.of("/usr/share/festival/voices/russian/msu_ru_nsh_clunits"));
  }

  /** {@code text} (Russian, UTF-8) spoken by Festival's Russian voice (msu_ru_nsh), resampled to {@code rate}. */
  public static short[] festivalRussian(String text, int rate) {
    return spoken(text, rate, text, "text2wave", "-eval", "(voice_msu_ru_nsh_clunits)", "-o", "%WAV%");
  }

  /**
   * Audio as the pipeline hands it to an engine from a telephone line: band-limited to 8 kHz, G.711 mu-law encoded
   * and decoded, upsampled to {@code engineRate} — what the stt-worker does with a gateway's 8 kHz mu-law stream.
   */
  public static short[] telephone(short[] audio8k, int engineRate) {
    short[] lossy = new short[audio8k.length];
    byte[] one = new byte[1];
    for (int i = 0; i < audio8k.length; i++) {
      one[0] = io.salesvoice.stt.audio.Pcm.encodeMulaw(audio8k[i]);
      lossy[i] = io.salesvoice.stt.audio.Pcm.decode(io.salesvoice.stt.audio.Codec.MULAW, one)[0];
    }
    return resample(lossy, 8_000, engineRate);
  }

  public static boolean testdataAvailable() {
    return Files.isDirectory(TESTDATA.resolve("librivox"));
  }

  /** {@code text} spoken by eSpeak NG (US English unless {@code voice} says otherwise), resampled to {@code rate}. */
  public static short[] synthesize(String voice, String text, int rate) {
    return spoken(text, rate, null, "espeak-ng", "-v", voice, "-s", "150", "-w", "%WAV%", text);
  }

  /** Runs a synthesizer that writes a WAV file (the argument {@code %WAV%}), fed {@code stdin} when given. */
  private static short[] spoken(String text, int rate, String stdin, String... command) {
    try {
      Path wav = Files.createTempFile("stt-speech", ".wav");
      try {
        List<String> argv = new ArrayList<>();
        for (String arg : command) {
          argv.add(arg.equals("%WAV%") ? wav.toString() : arg);
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (stdin != null) {
          p.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException(command[0] + " failed for " + text);
        }
        Wav.Audio audio = Wav.read(Files.readAllBytes(wav));
        return resample(audio.mono(), audio.sampleRate(), rate);
      } finally {
        Files.deleteIfExists(wav);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static short[] resample(short[] in, int from, int to) {
    Resampler r = new Resampler(from, to);
    short[] a = r.process(in);
    short[] b = r.flush();
    short[] out = new short[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code ms} milliseconds of digital silence. */
  public static short[] silence(int rate, int ms) {
    return new short[rate * ms / 1000];
  }

  public static short[] concat(short[]... parts) {
    int n = 0;
    for (short[] p : parts) {
      n += p.length;
    }
    short[] out = new short[n];
    int o = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** Splits audio into chunks of {@code ms} milliseconds, as a telephony gateway sends it. */
  public static List<short[]> chunks(short[] audio, int rate, int ms) {
    int size = rate * ms / 1000;
    List<short[]> out = new ArrayList<>();
    for (int i = 0; i < audio.length; i += size) {
      short[] c = new short[Math.min(size, audio.length - i)];
      System.arraycopy(audio, i, c, 0, c.length);
      out.add(c);
    }
    return out;
  }

  /** Word error rate of {@code hypothesis} against {@code reference}: word-level edit distance / reference words. */
  public static double wordErrorRate(String reference, String hypothesis) {
    String[] ref = words(reference);
    String[] hyp = words(hypothesis);
    int[][] d = new int[ref.length + 1][hyp.length + 1];
    for (int i = 0; i <= ref.length; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= hyp.length; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= ref.length; i++) {
      for (int j = 1; j <= hyp.length; j++) {
        int sub = d[i - 1][j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : 1);
        d[i][j] = Math.min(sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
      }
    }
    return ref.length == 0 ? (hyp.length == 0 ? 0 : 1) : (double) d[ref.length][hyp.length] / ref.length;
  }

  public static int errors(String reference, String hypothesis) {
    return (int) Math.round(wordErrorRate(reference, hypothesis) * words(reference).length);
  }

  public static String[] words(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }
}
