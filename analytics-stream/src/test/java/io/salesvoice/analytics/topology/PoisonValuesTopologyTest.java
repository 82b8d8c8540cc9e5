package io.salesvoice.analytics.topology;

import static io.salesvoice.analytics.Records.said;
import static io.salesvoice.analytics.Records.started;
import static io.salesvoice.analytics.topology.TopologyFixture.min;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.schema.call.CallDirection;
import org.junit.jupiter.api.Test;

/** Values that decode but must not count: a tombstone, or a key that is not the value's call id. */
class PoisonValuesTopologyTest {

  @Test
  void aTombstoneAndAnEventUnderAnotherCallsKeyAreSkippedCountedAndNotFiled() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Metrics.addRegistry(meters);
    try (TopologyFixture t = new TopologyFixture()) {
      t.calls.pipeInput("call-a", null, min(0));
      t.transcripts.pipeInput("call-a", null, min(0));
      t.calls.pipeInput("call-b", started("call-a", "p", CallDirection.OUTBOUND, min(0)), min(0));
      t.transcripts.pipeInput("call-b", said("call-a", "u1", "hi", 0, 500, min(0), 100), min(0));

      assertThat(t.callState("call-a")).isNull();
      assertThat(t.callState("call-b")).as("not filed under the wrong key").isNull();
      assertThat(count(meters, "sva.calls", "no_value")).isEqualTo(1.0);
      assertThat(count(meters, "sva.transcripts", "no_value")).isEqualTo(1.0);
      assertThat(count(meters, "sva.calls", "wrong_key")).isEqualTo(1.0);
      assertThat(count(meters, "sva.transcripts", "wrong_key")).isEqualTo(1.0);

      t.call(started("call-a", "p", CallDirection.OUTBOUND, min(1)));
      assertThat(t.total("p", false).getCallsStarted()).as("the views go on").isEqualTo(1);
    } finally {
      Metrics.removeRegistry(meters);
    }
  }

  private static double count(SimpleMeterRegistry meters, String topic, String reason) {
    var c = meters.find(SkippedRecords.METRIC).tag("topic", topic).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
