package io.salesvoice.crm.ledger;

import io.salesvoice.crm.domain.CrmWriter;
import io.salesvoice.schema.crm.CrmResult;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * What the sink remembers per idempotency key, durably: an attempt started (UNKNOWN), the write was applied
 * (APPLIED, with the Bitrix24 entity), or Bitrix24 refused it (REJECTED). Also the Bitrix24 CALL_ID of each call.
 */
public interface Ledger extends CrmWriter.CallIds {

  /** Completes once every entry written before the call (by any instance) can be looked up. */
  Mono<Void> ready();

  Optional<CrmResult> lookup(String idempotencyKey);

  /** Stores an entry durably; completes when it is acknowledged, and from then on {@link #lookup} sees it. */
  Mono<Void> record(CrmResult entry);
}
