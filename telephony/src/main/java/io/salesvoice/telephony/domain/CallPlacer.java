package io.salesvoice.telephony.domain;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The telephony provider port: start one outbound call. A start is not idempotent, so an implementation never sends a
 * request again unless the provider's answer proved that nothing was started; it fails with {@link PlacementRejected},
 * {@link ProviderUnavailable} or {@link PlacementUncertain} otherwise.
 */
public interface CallPlacer {

  /** The provider's name, as written to the ledger and the metrics (e.g. voximplant). */
  String provider();

  /** Starts the call whose scenario needs {@code customData}; emits the provider's session id once it started. */
  Mono<Placed> place(String callId, Map<String, Object> customData);

  /** A started call: the provider's id of its session, for looking it up in the provider's history. */
  record Placed(String sessionId) {
  }
}
