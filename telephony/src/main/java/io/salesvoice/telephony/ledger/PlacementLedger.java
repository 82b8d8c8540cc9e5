package io.salesvoice.telephony.ledger;

import io.salesvoice.schema.telephony.PlacedCall;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** What the adapter remembers per callId, durably: whether it asked the provider, and what came of it. */
public interface PlacementLedger {

  /** Completes once every entry written before the call (by any instance) can be looked up. */
  Mono<Void> ready();

  Optional<PlacedCall> lookup(String callId);

  /** Stores an entry durably; completes when the broker acknowledged it, and from then on {@link #lookup} sees it. */
  Mono<Void> record(PlacedCall entry);
}
