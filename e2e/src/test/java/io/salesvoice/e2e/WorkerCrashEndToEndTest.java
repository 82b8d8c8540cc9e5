package io.salesvoice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.stack.KafkaStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CI-sized fault test: the stateful workers that hold a call's conversation and its CRM writes (dialog-worker and
 * crm-sink) are SIGKILLed in the middle of live calls while a second instance of each runs. Every call must continue
 * or end cleanly, no final transcript may go unanswered, no turn may be heard twice and no CRM write may be applied
 * twice. The full fault suite ({@code FaultSuiteTest}, {@code bench/sections/faults.sh}) does this to every worker.
 */
@ExtendWith(SharedPipelineExtension.class)
class WorkerCrashEndToEndTest {

  private final KafkaStack stack;
  private final Pipeline pipeline;

  WorkerCrashEndToEndTest(KafkaStack stack, Pipeline pipeline) {
    this.stack = stack;
    this.pipeline = pipeline;
  }

  @Test
  void killingDialogWorkerAndCrmSinkMidCallLosesNothingAndRepeatsNothing() throws Exception {
    KafkaSettings kafka = KafkaSettings.of(stack.bootstrapServers(), stack.schemaRegistryUrl(), "e2e-crash");
    try (Admin admin = Admin.create(kafka.adminConfig())) {
      FaultRun run = new FaultRun(pipeline, kafka, admin);
      run.addSecondInstance("dialog-worker");
      run.addSecondInstance("crm-sink");
      // the first seven personas: four conversations, a voicemail, a call never answered and a busy line
      FaultRun.Figures f = run.run("ci-kill-dialog-crm", "SIGKILL dialog-worker and crm-sink", 7, 3, 2,
          r -> r.kill(List.of("dialog-worker", "crm-sink"), false), "");
      new FaultReport(Path.of("target", "faults")).add(f);

      assertThat(f.campaignFinished()).as("the campaign finished: %s", f.findings()).isTrue();
      assertThat(f.callsAffected()).as("the kill hit live calls").isGreaterThan(0);
      assertThat(f.findings()).as("records lost or duplicated").isEmpty();
      assertThat(f.lost()).isZero();
      assertThat(f.duplicates()).isZero();
      // the survivors took the killed instances' partitions over, and nothing else died
      assertThat(f.recovery()).isLessThan(Duration.ofMinutes(5));
      assertThat(pipeline.unexpectedlyDead()).as("workers that died without being killed").isEmpty();
      assertThat(pipeline.instancesOf("dialog-worker").stream().filter(WorkerProcess::alive)).hasSize(1);
      assertThat(pipeline.instancesOf("crm-sink").stream().filter(WorkerProcess::alive)).hasSize(1);
    }
  }
}
