package io.salesvoice.dialer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** The dialer's meters, tagged by campaign and outcome only (never by lead, call or number). */
public final class DialerMetrics {

  private final MeterRegistry registry;

  public DialerMetrics(MeterRegistry registry, Supplier<Number> inProgress) {
    this.registry = registry;
    Gauge.builder("sva.dialer.calls.in_progress", inProgress)
        .description("Calls requested and not ended, over the campaigns this instance owns")
        .register(registry);
  }

  public void requested(String campaignId, int attempt) {
    Counter.builder("sva.dialer.calls.requested").description("CallRequests written")
        .tag("campaign", campaignId).tag("retry", String.valueOf(attempt > 1))
        .register(registry).increment();
  }

  public void outcome(String campaignId, String outcome, boolean timedOut) {
    Counter.builder("sva.dialer.outcomes").description("Calls ended, by outcome")
        .tag("campaign", campaignId).tag("outcome", outcome).tag("source", timedOut ? "ring_timeout" : "call_event")
        .register(registry).increment();
  }

  public void doNotCallSkipped(String campaignId) {
    Counter.builder("sva.dialer.dnc.skipped").description("Leads not called because their number is on the do-not-call list")
        .tag("campaign", campaignId)
        .register(registry).increment();
  }

  public void leadsRejected(String campaignId, int rows) {
    Counter.builder("sva.dialer.leads.rejected").description("CSV rows refused at upload")
        .tag("campaign", campaignId)
        .register(registry).increment(rows);
  }

  public void leadsImported(String campaignId, int rows) {
    Counter.builder("sva.dialer.leads.imported").description("Leads written from CSV uploads")
        .tag("campaign", campaignId)
        .register(registry).increment(rows);
  }
}
