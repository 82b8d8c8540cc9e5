package io.salesvoice.platform.trace;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A W3C Trace Context {@code traceparent}, carried in Kafka headers so one call's path through every stage shows as
 * one trace in any OpenTelemetry-compatible backend.
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String INVALID_TRACE_ID = "0".repeat(32);
  private static final String INVALID_SPAN_ID = "0".repeat(16);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  /** A new trace: the root of a call's path, started where the call enters the pipeline. */
  public static TraceContext newTrace() {
    return new TraceContext(randomHex(16, INVALID_TRACE_ID), randomHex(8, INVALID_SPAN_ID), true);
  }

  /** Parses a {@code traceparent} value; anything malformed is treated as absent, as the W3C spec asks. */
  public static Optional<TraceContext> parse(String traceparent) {
    if (traceparent == null) {
      return Optional.empty();
    }
    var m = TRACEPARENT_FORMAT.matcher(traceparent.trim());
    if (!m.matches() || m.group(1).equals(INVALID_TRACE_ID) || m.group(2).equals(INVALID_SPAN_ID)) {
      return Optional.empty();
    }
    boolean sampled = (Integer.parseInt(m.group(3), 16) & 1) == 1;
    return Optional.of(new TraceContext(m.group(1), m.group(2), sampled));
  }

  /** The trace context a record carries, if any. */
  public static Optional<TraceContext> from(Headers headers) {
    Header h = headers == null ? null : headers.lastHeader(TRACEPARENT);
    return h == null || h.value() == null ? Optional.empty() : parse(new String(h.value(), StandardCharsets.US_ASCII));
  }

  /** The context of work caused by this one: same trace, a new span whose parent is this span. */
  public TraceContext child() {
    return new TraceContext(traceId, randomHex(8, INVALID_SPAN_ID), sampled);
  }

  public String traceparent() {
    return "00-" + traceId + "-" + spanId + "-" + (sampled ? "01" : "00");
  }

  /** Writes this context into {@code headers}, replacing a previous one. */
  public void writeTo(Headers headers) {
    headers.remove(TRACEPARENT);
    headers.add(TRACEPARENT, traceparent().getBytes(StandardCharsets.US_ASCII));
  }

  private static String randomHex(int bytes, String invalid) {
    byte[] b = new byte[bytes];
    String hex;
    do {
      RANDOM.nextBytes(b);
      hex = HEX.formatHex(b);
    } while (hex.equals(invalid));
    return hex;
  }
}
