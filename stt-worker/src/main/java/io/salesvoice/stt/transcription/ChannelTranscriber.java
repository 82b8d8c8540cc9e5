package io.salesvoice.stt.transcription;

import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Resampler;
import io.salesvoice.stt.engine.SpeechToText;
import io.salesvoice.stt.turn.EndOfTurnDetector;
import io.salesvoice.stt.turn.TurnEvent;
import io.salesvoice.stt.turn.VoiceActivityDetector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One speaker of one call: frames the audio, finds utterances, streams each into an engine session and turns what
 * the engine says into partial and final transcripts. Not thread-safe: the caller serializes access per call.
 */
final class ChannelTranscriber {

  private static final Logger log = LoggerFactory.getLogger(ChannelTranscriber.class);

  static final int FRAME_MS = 20;

  private final String callId;
  private final Channel channel;
  private final SpeechToText engine;
  private final TranscriptionSettings settings;
  private final Clock clock;
  private final Supplier<String> language;
  private final Supplier<List<String>> expectedPhrases;
  private final TranscriptionListener listener;
  private final FinalsInFlight finalsInFlight;

  private final VoiceActivityDetector vad;
  private final EndOfTurnDetector turns;
  private final ArrayDeque<Frame> preRoll = new ArrayDeque<>();
  private final int preRollFrames;

  private long lastSeq = -1;
  private Flux<Transcript> lastOutputs = Flux.empty();

  private int rate;
  private short[] pending = new short[0];
  private int pendingCount;
  private long pendingStartMs;

  private Utterance utterance;

  private record Frame(short[] samples, long startMs) {
  }

  /** The utterance being spoken: its engine session and what has been reported of it. */
  private static final class Utterance {
    final SpeechToText.Session session;
    final Resampler resampler;
    final long startMs;
    final String id;
    final String language;
    String lastPartial;
    long lastPartialCheckMs;
    int partials;

    Utterance(SpeechToText.Session session, Resampler resampler, long startMs, String id, String language) {
      this.session = session;
      this.resampler = resampler;
      this.startMs = startMs;
      this.id = id;
      this.language = language;
      this.lastPartialCheckMs = startMs;
    }
  }

  /** Told when a final starts being awaited and when it is out (or given up), so the call is not forgotten meanwhile. */
  interface FinalsInFlight {
    void started();

    void finished();
  }

  ChannelTranscriber(String callId, Channel channel, SpeechToText engine, TranscriptionSettings settings, Clock clock,
      Supplier<String> language, Supplier<List<String>> expectedPhrases, TranscriptionListener listener,
      FinalsInFlight finalsInFlight) {
    this.callId = callId;
    this.channel = channel;
    this.engine = engine;
    this.settings = settings;
    this.clock = clock;
    this.language = language;
    this.expectedPhrases = expectedPhrases;
    this.listener = listener;
    this.finalsInFlight = finalsInFlight;
    this.vad = new VoiceActivityDetector(settings.vadThresholdDb(), settings.vadMarginDb());
    this.turns = new EndOfTurnDetector(settings.turns());
    long keepMs = settings.turns().preRoll().toMillis() + settings.turns().minSpeech().toMillis()
        + settings.turns().speechGap().toMillis() + FRAME_MS;
    this.preRollFrames = (int) (keepMs / FRAME_MS) + 1;
  }

  /**
   * The transcripts chunk {@code seq} completes. A chunk seen before is not transcribed again: the latest one's
   * outputs are returned once more (the stage retries a record whose outputs it could not write), older ones give
   * nothing. The returned flux may be subscribed again after an error; it then retries the engine's final.
   */
  Flux<Transcript> accept(long seq, short[] samples, int sampleRate, long mediaTimeMs) {
    if (seq == lastSeq) {
      listener.duplicateChunk();
      return lastOutputs;
    }
    if (seq < lastSeq) {
      listener.duplicateChunk();
      return Flux.empty();
    }
    List<Publisher<Transcript>> outputs = new ArrayList<>();
    if (sampleRate != rate) {
      // a new stream (or a changed rate): frames restart at this chunk
      rate = sampleRate;
      pending = new short[sampleRate * FRAME_MS / 1000];
      pendingCount = 0;
    }
    if (pendingCount == 0) {
      pendingStartMs = mediaTimeMs;
    }
    int frameSize = pending.length;
    int i = 0;
    while (i < samples.length) {
      int n = Math.min(frameSize - pendingCount, samples.length - i);
      System.arraycopy(samples, i, pending, pendingCount, n);
      pendingCount += n;
      i += n;
      if (pendingCount == frameSize) {
        onFrame(new Frame(pending.clone(), pendingStartMs), outputs);
        pendingCount = 0;
        pendingStartMs += FRAME_MS;
      }
    }
    partial(pendingStartMs).ifPresent(outputs::add);
    lastSeq = seq;
    lastOutputs = Flux.concat(outputs);
    return lastOutputs;
  }

  /** Ends the stream (call ended or idle): the final of an utterance still open. */
  Flux<Transcript> flush() {
    List<Publisher<Transcript>> outputs = new ArrayList<>();
    turns.flush().ifPresent(e -> end((TurnEvent.Ended) e, outputs));
    preRoll.clear();
    return Flux.concat(outputs);
  }

  boolean inUtterance() {
    return utterance != null;
  }

  private void onFrame(Frame frame, List<Publisher<Transcript>> outputs) {
    boolean speech = vad.isSpeech(frame.samples());
    if (utterance == null) {
      preRoll.addLast(frame);
      while (preRoll.size() > preRollFrames) {
        preRoll.removeFirst();
      }
    }
    Optional<TurnEvent> event = turns.onFrame(speech, frame.startMs(), FRAME_MS);
    if (event.isEmpty()) {
      if (utterance != null) {
        feed(frame);
      }
      return;
    }
    if (event.get() instanceof TurnEvent.Started started) {
      begin(started.startMs());
    } else if (event.get() instanceof TurnEvent.Ended ended) {
      if (ended.reason() == TurnEvent.Reason.MAX_LENGTH) {
        feed(frame);
      }
      end(ended, outputs);
    }
  }

  private void begin(long startMs) {
    String lang = language.get();
    List<String> expected = expectedPhrases.get();
    SpeechToText.Session session = expected.isEmpty() ? engine.open(lang) : engine.open(lang, expected);
    utterance = new Utterance(session, new Resampler(rate, engine.sampleRate()), startMs,
        callId + "/" + channel.name().toLowerCase() + "/" + startMs, lang);
    long from = startMs - settings.turns().preRoll().toMillis();
    for (Frame f : preRoll) {
      if (f.startMs() >= from) {
        feed(f);
      }
    }
    preRoll.clear();
    log.debug("utterance {} started", utterance.id);
  }

  private void feed(Frame frame) {
    short[] converted = utterance.resampler.process(frame.samples());
    if (converted.length > 0) {
      utterance.session.accept(converted);
    }
  }

  private void end(TurnEvent.Ended ended, List<Publisher<Transcript>> outputs) {
    Utterance u = utterance;
    utterance = null;
    if (u == null) {
      return;
    }
    short[] tail = u.resampler.flush();
    if (tail.length > 0) {
      u.session.accept(tail);
    }
    Instant speechEndedAt = clock.instant();
    log.debug("utterance {} ended at {} ms ({})", u.id, ended.endMs(), ended.reason());
    boolean mustClose = u.partials > 0;
    // finish() now, not on subscription: the engine stops waiting for audio even if no one reads the result
    Mono<Transcript> fin = u.session.finish()
        .doOnError(e -> listener.engineError(engine.name(), e))
        .filter(h -> mustClose || !h.text().isEmpty())
        .map(h -> {
          Instant now = clock.instant();
          listener.finalTranscript(engine.name(), Duration.between(speechEndedAt, now));
          return transcript(u, h.text(), true, h.confidence(), ended.endMs(), speechEndedAt, now);
        })
        .doOnSubscribe(s -> finalsInFlight.started())
        .doFinally(signal -> finalsInFlight.finished());
    outputs.add(fin);
  }

  private Optional<Mono<Transcript>> partial(long mediaNowMs) {
    Utterance u = utterance;
    if (u == null || mediaNowMs - u.lastPartialCheckMs < settings.partialInterval().toMillis()) {
      return Optional.empty();
    }
    u.lastPartialCheckMs = mediaNowMs;
    Optional<String> text = u.session.partial();
    if (text.isEmpty() || text.get().equals(u.lastPartial)) {
      return Optional.empty();
    }
    u.lastPartial = text.get();
    u.partials++;
    // partials carry no engine score: confidence 0 says "not judged", finals carry the engine's
    return Optional.of(Mono.just(transcript(u, text.get(), false, 0f, mediaNowMs, null, clock.instant())));
  }

  private Transcript transcript(Utterance u, String text, boolean isFinal, float confidence, long endMs,
      Instant speechEndedAt, Instant producedAt) {
    return Transcript.newBuilder()
        .setCallId(callId)
        .setUtteranceId(u.id)
        .setText(text)
        .setIsFinal(isFinal)
        .setLanguage(u.language)
        .setConfidence(confidence)
        .setStartMs(u.startMs)
        .setEndMs(endMs)
        .setEngine(engine.name())
        .setChannel(channel)
        .setSpeechEndedAt(speechEndedAt)
        .setProducedAt(producedAt)
        .build();
  }
}
