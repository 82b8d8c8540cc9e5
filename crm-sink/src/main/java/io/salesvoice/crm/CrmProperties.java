package io.salesvoice.crm;

import io.salesvoice.crm.bitrix.WebClientBitrix24;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * crm-sink's settings ({@code sva.crm.*}). The default portal's webhook comes from {@code SVA_CRM_BITRIX24_WEBHOOK_URL};
 * without one the worker starts, reports that CRM writes are waiting, and leaves the commands in Kafka.
 *
 * @param bitrix24                the default portal (commands without a portal name)
 * @param portals                 further portals by the name commands carry in {@code portal}
 * @param doNotCallField          the lead/contact field set to {@code Y} by MarkDoNotCall (create it as a user field)
 * @param concurrencyPerPartition calls of one partition handled at once (one call's commands stay in order)
 * @param minBackoff              first wait before a command whose portal is unavailable is tried again
 * @param maxBackoff              longest wait between such tries
 */
@ConfigurationProperties("sva.crm")
public record CrmProperties(
    @DefaultValue Portal bitrix24,
    Map<String, Portal> portals,
    @DefaultValue("UF_CRM_SVA_DO_NOT_CALL") String doNotCallField,
    @DefaultValue(CrmProperties.DEFAULT_CONCURRENCY_PER_PARTITION) int concurrencyPerPartition,
    @DefaultValue("1s") Duration minBackoff,
    @DefaultValue("30s") Duration maxBackoff) {

  /**
   * Commands of different calls in flight per partition. A batch request carries one call of each waiting command,
   * so it is full only when more than 50 commands wait; 64 lets one partition alone fill every request, even when the
   * consumer hands the stage the partitions one after another (benchmarks.md).
   */
  public static final String DEFAULT_CONCURRENCY_PER_PARTITION = "64";

  public CrmProperties {
    portals = portals == null ? Map.of() : Map.copyOf(portals);
  }

  /** Bitrix24's plans differ in their request limit: the bucket size and how fast it drains. */
  public enum Plan {
    STANDARD(50, 2), ENTERPRISE(250, 5);

    final int burst;
    final double drainPerSecond;

    Plan(int burst, double drainPerSecond) {
      this.burst = burst;
      this.drainPerSecond = drainPerSecond;
    }
  }

  /**
   * One Bitrix24 portal.
   *
   * @param webhookUrl     the incoming webhook, {@code https://<portal>/rest/<user>/<token>/}; a secret, never logged
   * @param userId         the Bitrix24 user calls and activities are attributed to
   * @param plan           STANDARD (50 burst, 2/s) or ENTERPRISE (250 burst, 5/s)
   * @param burst          overrides the plan's bucket size
   * @param drainPerSecond overrides the plan's drain rate
   * @param safetyMargin   requests of the bucket left unused; default drain rate + 2
   * @param maxWait        longest a request waits for the bucket before the command is retried later
   * @param requestTimeout longest one HTTP exchange may take
   * @param maxAttempts    attempts per request on limit or outage answers before backing off for longer
   * @param maxBatch       calls of concurrent commands packed into one {@code batch} request (1 turns packing off)
   * @param maxInFlight    requests out to the portal at once; calls arriving meanwhile gather into the next batch
   */
  public record Portal(
      String webhookUrl,
      @DefaultValue("1") long userId,
      @DefaultValue("STANDARD") Plan plan,
      Integer burst,
      Double drainPerSecond,
      Double safetyMargin,
      @DefaultValue("30s") Duration maxWait,
      @DefaultValue("30s") Duration requestTimeout,
      @DefaultValue("4") int maxAttempts,
      @DefaultValue("50") int maxBatch,
      @DefaultValue("2") int maxInFlight) {

    public boolean configured() {
      return webhookUrl != null && !webhookUrl.isBlank();
    }

    public WebClientBitrix24.Limits limits() {
      int b = burst != null ? burst : plan.burst;
      double d = drainPerSecond != null ? drainPerSecond : plan.drainPerSecond;
      double margin = safetyMargin != null ? safetyMargin : d + 2;
      return new WebClientBitrix24.Limits(b, d, margin, maxWait, requestTimeout, maxAttempts, 480, 0.9);
    }
  }
}
