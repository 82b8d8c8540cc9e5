package io.salesvoice.platform.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceContextTest {

  @Test
  void parsesAndFormatsTheW3cExample() {
    String header = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    TraceContext trace = TraceContext.parse(header).orElseThrow();
    assertThat(trace.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(trace.spanId()).isEqualTo("b7ad6b7169203331");
    assertThat(trace.sampled()).isTrue();
    assertThat(trace.traceparent()).isEqualTo(header);
  }

  @Test
  void childKeepsTheTraceWithANewSpan() {
    TraceContext parent = TraceContext.newTrace();
    TraceContext child = parent.child();
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.spanId()).isNotEqualTo(parent.spanId()).hasSize(16);
  }

  @Test
  void malformedOrAllZeroValuesAreTreatedAsAbsent() {
    assertThat(TraceContext.parse("garbage")).isEmpty();
    assertThat(TraceContext.parse("00-00000000000000000000000000000000-b7ad6b7169203331-01")).isEmpty();
    assertThat(TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")).isEmpty();
    assertThat(TraceContext.parse("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")).isEmpty();
    assertThat(TraceContext.parse(null)).isEmpty();
  }

  @Test
  void travelsInKafkaHeadersReplacingAnOlderValue() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TraceContext.TRACEPARENT, "stale".getBytes(StandardCharsets.US_ASCII));
    TraceContext trace = TraceContext.newTrace();
    trace.writeTo(headers);
    assertThat(headers.headers(TraceContext.TRACEPARENT)).hasSize(1);
    assertThat(TraceContext.from(headers)).contains(trace);
  }

  @Test
  void unsampledFlagIsKept() {
    TraceContext trace = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00").orElseThrow();
    assertThat(trace.sampled()).isFalse();
    assertThat(trace.child().traceparent()).endsWith("-00");
  }
}
