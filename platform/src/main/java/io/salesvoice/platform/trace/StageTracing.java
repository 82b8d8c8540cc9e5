package io.salesvoice.platform.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Objects;

/**
 * One exported span per record a stage handles, child of the span named in the record's {@code traceparent}, so a
 * call's path through every worker is one trace in Jaeger or Tempo. Without an SDK installed it costs nothing and the
 * stages still propagate trace context.
 */
public final class StageTracing {

  private static volatile OpenTelemetry installed = OpenTelemetry.noop();

  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
  private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  private static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");

  private final Tracer tracer;

  private StageTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("io.salesvoice.platform");
  }

  /** Makes {@code openTelemetry} the default of stages built from now on (Spring Boot workers do this at start-up). */
  public static void install(OpenTelemetry openTelemetry) {
    installed = Objects.requireNonNull(openTelemetry);
  }

  public static StageTracing of(OpenTelemetry openTelemetry) {
    return new StageTracing(openTelemetry);
  }

  public static StageTracing installed() {
    return new StageTracing(installed);
  }

  /** Starts the span of handling one record; the caller ends it. */
  public Span start(String stage, String topic, int partition, long offset, String key, TraceContext parent) {
    SpanContext remote = SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(),
        parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    return tracer.spanBuilder(stage + " process")
        .setParent(Context.root().with(Span.wrap(remote)))
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(SYSTEM, "kafka")
        .setAttribute(DESTINATION, topic)
        .setAttribute(PARTITION, (long) partition)
        .setAttribute(OFFSET, offset)
        .setAttribute(KEY, key == null ? "" : key)
        .startSpan();
  }

  /**
   * The trace context the record's outputs carry: the span itself when it is exported, otherwise a fresh child of the
   * incoming context, so downstream stages see a new span id either way.
   */
  public static TraceContext contextOf(Span span, TraceContext parent) {
    SpanContext c = span.getSpanContext();
    if (!span.isRecording() || !c.isValid() || c.getSpanId().equals(parent.spanId())) {
      return parent.child();
    }
    return new TraceContext(c.getTraceId(), c.getSpanId(), c.isSampled());
  }

  public static void failed(Span span, String reason) {
    span.setStatus(StatusCode.ERROR, reason);
  }
}
