package io.salesvoice.stt.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndOfTurnDetectorTest {

  private static final int FRAME_MS = 20;

  private final TurnSettings settings = new TurnSettings(Duration.ofMillis(600), Duration.ofMillis(200),
      Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofMillis(200));

  @Test
  void speechThenSilenceIsOneUtteranceWithItsMediaTimes() {
    List<TurnEvent> events = run(new EndOfTurnDetector(settings), "_".repeat(10) + "S".repeat(50) + "_".repeat(40));
    assertThat(events).containsExactly(new TurnEvent.Started(200), new TurnEvent.Ended(200, 1200,
        TurnEvent.Reason.SILENCE));
  }

  @Test
  void startIsReportedOnceMinimumSpeechIsReached() {
    EndOfTurnDetector d = new EndOfTurnDetector(settings);
    List<Optional<TurnEvent>> perFrame = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      perFrame.add(d.onFrame(true, i * FRAME_MS, FRAME_MS));
    }
    assertThat(perFrame.subList(0, 9)).allMatch(Optional::isEmpty);
    assertThat(perFrame.get(9)).contains(new TurnEvent.Started(0));   // 10 frames = 200 ms
    assertThat(perFrame.subList(10, 12)).allMatch(Optional::isEmpty);
    assertThat(d.inUtterance()).isTrue();
  }

  @Test
  void shortBlipsAreIgnored() {
    assertThat(run(new EndOfTurnDetector(settings), "SSS______SSSS______SS" + "_".repeat(50))).isEmpty();
  }

  @Test
  void aShortGapInsideTheStartDoesNotResetIt() {
    // 100 ms of speech, 60 ms gap, 100 ms of speech: starts at the first frame
    List<TurnEvent> events = run(new EndOfTurnDetector(settings), "SSSSS___SSSSS" + "_".repeat(40));
    assertThat(events).first().isEqualTo(new TurnEvent.Started(0));
  }

  @Test
  void pausesShorterThanTheEndOfTurnSilenceStayInTheUtterance() {
    String pattern = "S".repeat(20) + "_".repeat(25) + "S".repeat(20) + "_".repeat(30);
    List<TurnEvent> events = run(new EndOfTurnDetector(settings), pattern);
    assertThat(events).containsExactly(new TurnEvent.Started(0),
        new TurnEvent.Ended(0, 65 * FRAME_MS, TurnEvent.Reason.SILENCE));
  }

  @Test
  void turnEndsExactlyWhenTheSilenceIsLongEnough() {
    EndOfTurnDetector d = new EndOfTurnDetector(settings);
    for (int i = 0; i < 20; i++) {
      d.onFrame(true, i * FRAME_MS, FRAME_MS);
    }
    for (int i = 20; i < 49; i++) {
      assertThat(d.onFrame(false, i * FRAME_MS, FRAME_MS)).as("frame %d", i).isEmpty();
    }
    assertThat(d.onFrame(false, 49 * FRAME_MS, FRAME_MS))
        .contains(new TurnEvent.Ended(0, 400, TurnEvent.Reason.SILENCE));
    assertThat(d.inUtterance()).isFalse();
  }

  @Test
  void aMonologueIsCutAtTheMaximumLengthAndContinuesAsANewUtterance() {
    List<TurnEvent> events = run(new EndOfTurnDetector(settings), "S".repeat(200) + "_".repeat(40));
    assertThat(events).containsExactly(
        new TurnEvent.Started(0),
        new TurnEvent.Ended(0, 3000, TurnEvent.Reason.MAX_LENGTH),
        new TurnEvent.Started(3000),
        new TurnEvent.Ended(3000, 4000, TurnEvent.Reason.SILENCE));
  }

  @Test
  void flushEndsAnOpenUtteranceOnlyOnce() {
    EndOfTurnDetector d = new EndOfTurnDetector(settings);
    run(d, "S".repeat(30));
    assertThat(d.flush()).contains(new TurnEvent.Ended(0, 600, TurnEvent.Reason.FLUSH));
    assertThat(d.flush()).isEmpty();
  }

  @Test
  void flushDuringACandidateStartEmitsNothing() {
    EndOfTurnDetector d = new EndOfTurnDetector(settings);
    run(d, "SSS");
    assertThat(d.flush()).isEmpty();
    assertThat(run(d, "SSSSSSSSS")).isEmpty();   // the earlier 60 ms do not count towards a new start
  }

  @Test
  void framesOfAnyLengthAreMeasuredInMediaTime() {
    EndOfTurnDetector d = new EndOfTurnDetector(settings);
    assertThat(d.onFrame(true, 1000, 250)).contains(new TurnEvent.Started(1000));
    assertThat(d.onFrame(false, 1250, 500)).isEmpty();
    assertThat(d.onFrame(false, 1750, 100)).contains(new TurnEvent.Ended(1000, 1250, TurnEvent.Reason.SILENCE));
  }

  @Test
  void twoUtterancesInARow() {
    String one = "S".repeat(15) + "_".repeat(30);
    List<TurnEvent> events = run(new EndOfTurnDetector(settings), one + one);
    assertThat(events).containsExactly(
        new TurnEvent.Started(0), new TurnEvent.Ended(0, 300, TurnEvent.Reason.SILENCE),
        new TurnEvent.Started(900), new TurnEvent.Ended(900, 1200, TurnEvent.Reason.SILENCE));
  }

  @Test
  void zeroMinimumSpeechStartsOnTheFirstSpeechFrame() {
    TurnSettings eager = new TurnSettings(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(1), null, null);
    assertThat(new EndOfTurnDetector(eager).onFrame(true, 40, 20)).contains(new TurnEvent.Started(40));
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new TurnSettings(Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(1), null,
        null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TurnSettings(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1),
        null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(TurnSettings.defaults().preRoll()).isEqualTo(Duration.ofMillis(200));
  }

  /** Runs a pattern of 20 ms frames: 'S' speech, anything else silence. */
  private static List<TurnEvent> run(EndOfTurnDetector d, String pattern) {
    List<TurnEvent> events = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      d.onFrame(pattern.charAt(i) == 'S', (long) i * FRAME_MS, FRAME_MS).ifPresent(events::add);
    }
    return events;
  }
}
