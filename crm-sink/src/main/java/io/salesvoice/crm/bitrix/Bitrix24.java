package io.salesvoice.crm.bitrix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * One Bitrix24 portal's REST API as the command mapping sees it: a method call answers its {@code result}, or fails
 * with {@link Bitrix24Rejected} (never succeeds) or {@link Bitrix24Unavailable} (try later).
 */
public interface Bitrix24 {

  Mono<JsonNode> call(String method, Map<String, ?> params);

  /**
   * Several calls in one {@code batch} request (at most 50), each answered by its own result; one refused call
   * fails the whole Mono with its {@link Bitrix24Rejected}.
   */
  Mono<Map<String, JsonNode>> batch(LinkedHashMap<String, Call> calls);

  /** One call of a batch. */
  record Call(String method, Map<String, ?> params) {
  }
}
