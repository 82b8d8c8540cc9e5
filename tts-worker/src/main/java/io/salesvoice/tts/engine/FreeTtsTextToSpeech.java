package io.salesvoice.tts.engine;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.audio.AudioPlayer;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import io.salesvoice.tts.audio.PcmBlock;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sound.sampled.AudioFormat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * FreeTTS, pure Java, English only ({@code kevin16}, 16 kHz): needs nothing installed, so it is the engine when eSpeak NG
 * is absent. Its voices are not thread-safe, so a small pool of allocated voices is shared by a bounded scheduler named
 * {@code tts-freetts}; audio is handed over as FreeTTS produces it (per phrase).
 */
public final class FreeTtsTextToSpeech implements TextToSpeech {

  /**
   * @param voice          the FreeTTS voice name ({@code kevin16})
   * @param wordsPerMinute speaking rate
   * @param maxConcurrency voices allocated, syntheses at once
   */
  public record Settings(String voice, float wordsPerMinute, int maxConcurrency) {

    public static Settings defaults() {
      return new Settings("kevin16", 150f, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  private final Scheduler scheduler;
  private final BlockingQueue<Voice> voices;

  public FreeTtsTextToSpeech(Settings settings) {
    this.scheduler = Schedulers.newBoundedElastic(settings.maxConcurrency(), 10_000, "tts-freetts", 60, true);
    this.voices = new ArrayBlockingQueue<>(settings.maxConcurrency());
    for (int i = 0; i < settings.maxConcurrency(); i++) {
      Voice v = Arrays.stream(new KevinVoiceDirectory().getVoices())
          .filter(candidate -> candidate.getName().equals(settings.voice()))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("FreeTTS has no voice " + settings.voice()
              + "; it has kevin and kevin16"));
      v.allocate();
      v.setRate(settings.wordsPerMinute());
      voices.add(v);
    }
  }

  @Override
  public String name() {
    return "freetts";
  }

  @Override
  public Flux<PcmBlock> synthesize(SpeechRequest request) {
    if (!Voices.primary(request.language()).equals("en")) {
      return Flux.error(new SpeechSynthesisException("FreeTTS speaks English only, not " + request.language()));
    }
    return Flux.<PcmBlock>create(sink -> speak(request.text(), sink)).subscribeOn(scheduler);
  }

  private void speak(String text, FluxSink<PcmBlock> sink) {
    Voice voice;
    try {
      voice = voices.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sink.error(e);
      return;
    }
    try {
      SinkPlayer player = new SinkPlayer(sink);
      voice.setAudioPlayer(player);
      voice.speak(text);
      if (!sink.isCancelled()) {
        sink.complete();
      }
    } catch (RuntimeException e) {
      sink.error(new SpeechSynthesisException("FreeTTS failed: " + e.getMessage(), e));
    } finally {
      voices.add(voice);
    }
  }

  @Override
  public void close() {
    voices.forEach(Voice::deallocate);
    scheduler.dispose();
  }

  /** FreeTTS's audio output, redirected into the flux; returning false from write stops the synthesis on cancel. */
  private static final class SinkPlayer implements AudioPlayer {
    private final FluxSink<PcmBlock> sink;
    private AudioFormat format = new AudioFormat(16000f, 16, 1, true, true);
    private float volume = 1f;

    SinkPlayer(FluxSink<PcmBlock> sink) {
      this.sink = sink;
    }

    @Override
    public boolean write(byte[] data, int offset, int size) {
      if (sink.isCancelled()) {
        return false;
      }
      short[] samples = new short[size / 2];
      boolean big = format.isBigEndian();
      for (int i = 0; i < samples.length; i++) {
        int a = data[offset + 2 * i] & 0xFF;
        int b = data[offset + 2 * i + 1] & 0xFF;
        samples[i] = (short) (big ? (a << 8 | b) : (b << 8 | a));
      }
      if (samples.length > 0) {
        sink.next(new PcmBlock(Math.round(format.getSampleRate()), samples));
      }
      return true;
    }

    @Override
    public boolean write(byte[] data) {
      return write(data, 0, data.length);
    }

    @Override
    public void setAudioFormat(AudioFormat format) {
      if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1) {
        throw new IllegalArgumentException("FreeTTS format " + format + " is not 16-bit mono");
      }
      this.format = format;
    }

    @Override
    public AudioFormat getAudioFormat() {
      return format;
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public void reset() {
    }

    @Override
    public boolean drain() {
      return true;
    }

    @Override
    public void begin(int size) {
    }

    @Override
    public boolean end() {
      return !sink.isCancelled();
    }

    @Override
    public void cancel() {
    }

    @Override
    public void close() {
    }

    @Override
    public float getVolume() {
      return volume;
    }

    @Override
    public void setVolume(float volume) {
      this.volume = volume;
    }

    @Override
    public long getTime() {
      return 0;
    }

    @Override
    public void resetTime() {
    }

    @Override
    public void startFirstSampleTimer() {
    }

    @Override
    public void showMetrics() {
    }
  }
}
