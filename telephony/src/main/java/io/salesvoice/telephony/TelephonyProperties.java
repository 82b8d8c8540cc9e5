package io.salesvoice.telephony;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The telephony worker's settings ({@code sva.telephony.*}). Secrets (Voximplant keys, token secrets) come from the
 * environment and are never logged.
 *
 * @param mediaUrl where the scenario opens the media WebSocket (ingest-audio's {@code /media/voximplant})
 * @param mediaTokenSecret the secret ingest-audio verifies media tokens with (SVA_INGEST_TOKEN_SECRET)
 * @param callbackUrl where the scenario reports calls that never connected ({@code POST /api/voximplant/events})
 * @param callbackSecret signs the per-call callback tokens; random per process when unset (reports of calls placed
 *                       before a restart are then refused)
 */
@ConfigurationProperties("sva.telephony")
public record TelephonyProperties(
    @DefaultValue Voximplant voximplant,
    String mediaUrl,
    String mediaTokenSecret,
    String callbackUrl,
    String callbackSecret,
    @DefaultValue("5m") Duration callbackGrace,
    @DefaultValue("8") int concurrencyPerPartition,
    @DefaultValue("1s") Duration minBackoff,
    @DefaultValue("30s") Duration maxBackoff) {

  /**
   * Voximplant's Management API and the routing rule whose scenario ({@code outbound.js}) dials the lead.
   *
   * @param credentials the service account key JSON itself (SVA_TELEPHONY_VOXIMPLANT_CREDENTIALS)
   * @param credentialsFile a file holding that JSON (SVA_TELEPHONY_VOXIMPLANT_CREDENTIALS_FILE)
   * @param accountId with {@code apiKey}: the deprecated API key authentication
   */
  public record Voximplant(
      String credentials,
      String credentialsFile,
      String accountId,
      String apiKey,
      @DefaultValue("https://api.voximplant.com/platform_api/") String apiUrl,
      String callerId,
      @DefaultValue("0") long ruleId,
      @DefaultValue("15s") Duration requestTimeout,
      @DefaultValue("4") int maxAttempts,
      @DefaultValue("500ms") Duration initialBackoff,
      @DefaultValue("10s") Duration maxBackoff,
      @DefaultValue("100") int maxConcurrentRequests,
      @DefaultValue("30s") Duration maxWaitForSlot,
      @DefaultValue("65536") int maxCustomDataChars) {
  }
}
