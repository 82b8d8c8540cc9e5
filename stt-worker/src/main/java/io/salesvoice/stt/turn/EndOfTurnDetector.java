package io.salesvoice.stt.turn;

import java.util.Optional;

/**
 * Turns a stream of speech/silence frames into utterances: one starts after {@code minSpeech} of speech, ends after
 * {@code endOfTurnSilence} of silence or at {@code maxUtterance}. Times are media times in milliseconds, so the
 * decision is the same however fast the audio arrives (live or replayed). One instance per audio stream.
 */
public final class EndOfTurnDetector {

  private enum State { IDLE, CANDIDATE, SPEAKING }

  private final long endOfTurnSilenceMs;
  private final long minSpeechMs;
  private final long maxUtteranceMs;
  private final long speechGapMs;

  private State state = State.IDLE;
  private long candidateStartMs;
  private long speechMs;
  private long utteranceStartMs;
  private long lastSpeechEndMs;
  private long silenceMs;

  public EndOfTurnDetector(TurnSettings settings) {
    this.endOfTurnSilenceMs = settings.endOfTurnSilence().toMillis();
    this.minSpeechMs = settings.minSpeech().toMillis();
    this.maxUtteranceMs = settings.maxUtterance().toMillis();
    this.speechGapMs = settings.speechGap().toMillis();
  }

  /**
   * Takes the verdict on one frame.
   *
   * @param speech whether the frame holds speech
   * @param frameStartMs media time of the frame's first sample
   * @param frameMs the frame's duration
   * @return the utterance boundary this frame completes, if any
   */
  public Optional<TurnEvent> onFrame(boolean speech, long frameStartMs, long frameMs) {
    long frameEndMs = frameStartMs + frameMs;
    switch (state) {
      case IDLE -> {
        if (speech) {
          state = State.CANDIDATE;
          candidateStartMs = frameStartMs;
          speechMs = frameMs;
          silenceMs = 0;
          lastSpeechEndMs = frameEndMs;
          return startIfLongEnough();
        }
      }
      case CANDIDATE -> {
        if (speech) {
          speechMs += frameMs;
          silenceMs = 0;
          lastSpeechEndMs = frameEndMs;
          return startIfLongEnough();
        }
        silenceMs += frameMs;
        if (silenceMs > speechGapMs) {
          state = State.IDLE;
        }
      }
      case SPEAKING -> {
        if (speech) {
          silenceMs = 0;
          lastSpeechEndMs = frameEndMs;
        } else {
          silenceMs += frameMs;
          if (silenceMs >= endOfTurnSilenceMs) {
            return end(TurnEvent.Reason.SILENCE, lastSpeechEndMs);
          }
        }
        if (frameEndMs - utteranceStartMs >= maxUtteranceMs) {
          return end(TurnEvent.Reason.MAX_LENGTH, frameEndMs);
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
    return Optional.empty();
  }

  /** Ends the current utterance because the stream ended; empty when no one was speaking. */
  public Optional<TurnEvent> flush() {
    if (state == State.SPEAKING) {
      return end(TurnEvent.Reason.FLUSH, lastSpeechEndMs);
    }
    state = State.IDLE;
    return Optional.empty();
  }

  /** Whether an utterance has started and not yet ended. */
  public boolean inUtterance() {
    return state == State.SPEAKING;
  }

  private Optional<TurnEvent> startIfLongEnough() {
    if (speechMs >= minSpeechMs) {
      state = State.SPEAKING;
      utteranceStartMs = candidateStartMs;
      return Optional.of(new TurnEvent.Started(utteranceStartMs));
    }
    return Optional.empty();
  }

  private Optional<TurnEvent> end(TurnEvent.Reason reason, long endMs) {
    state = State.IDLE;
    silenceMs = 0;
    speechMs = 0;
    return Optional.of(new TurnEvent.Ended(utteranceStartMs, endMs, reason));
  }
}
