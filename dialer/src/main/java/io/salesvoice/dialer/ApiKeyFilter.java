package io.salesvoice.dialer;

import io.salesvoice.platform.security.ApiKeys;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Every {@code /api/**} request needs the dialer's API key in {@code X-Api-Key}; with no key configured, none passes. */
public final class ApiKeyFilter implements WebFilter {

  public static final String API_KEY_HEADER = "X-Api-Key";

  private final ApiKeys apiKeys;

  public ApiKeyFilter(ApiKeys apiKeys) {
    this.apiKeys = apiKeys;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.startsWith("/api/") || path.equals("/api")) {
      if (!apiKeys.matches(exchange.getRequest().getHeaders().getFirst(API_KEY_HEADER))) {
        return refuse(exchange, apiKeys.configured()
            ? "missing or wrong " + API_KEY_HEADER + " header"
            : "no API key is configured on this instance: set SVA_DIALER_API_KEY (sva.dialer.api-key)");
      }
    }
    return chain.filter(exchange);
  }

  private static Mono<Void> refuse(ServerWebExchange exchange, String message) {
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.UNAUTHORIZED);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    String body = "{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"" + message + "\"}";
    DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }
}
