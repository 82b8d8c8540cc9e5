package io.salesvoice.telephony.voxengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The VoxEngine scenario cannot run outside Voximplant's cloud; Node.js checks that it parses and runs it against a
 * simulated VoxEngine runtime ({@code scenario-harness.js}) through a busy call, a ring timeout, an answered call and a
 * media stream that cannot be opened.
 */
class OutboundScenarioTest {

  private static final Path SCENARIO = Path.of("src/main/voxengine/outbound.js");
  private static final Path HARNESS = Path.of("src/test/resources/voxengine/scenario-harness.js");

  private record Run(int exit, String output) {
  }

  private static Run node(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("node"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theScenarioParses() throws Exception {
    Run run = node("--check", SCENARIO.toString());
    assertThat(run.exit()).as(run.output()).isZero();
  }

  @Test
  void theScenarioDialsStreamsAndReportsAsVoxEngineWouldRunIt() throws Exception {
    Run run = node(HARNESS.toString(), SCENARIO.toString());
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("ok busyIsReported", "ok noAnswerAfterTheRingTimeout",
        "ok anAnsweredCallStreamsToIngestAudio", "ok aMediaStreamThatCannotOpenIsReportedFailed");
  }
}
