package io.salesvoice.ingest.security;

import io.salesvoice.platform.security.ApiKeys;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.ingest.IngestMetrics;
import io.salesvoice.ingest.media.MediaSocketHandler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Refuses unauthenticated requests before anything is read: {@code /api/**} needs the API key ({@code X-Api-Key}),
 * except a call's live events ({@code /api/calls/{callId}/events}), which need that call's media token as the
 * {@code token} query parameter because a browser's EventSource cannot send headers; a media handshake that carries a {@code token} query parameter must carry a valid one ({@code /media/pcm} must
 * carry one). Twilio and Voximplant streams may instead send the token in the start frame's customParameters, which
 * the connection checks before it accepts any audio.
 */
public final class AccessFilter implements WebFilter {

  public static final String API_KEY_HEADER = "X-Api-Key";

  private static final PathPattern CALL_EVENTS = PathPatternParser.defaultInstance.parse("/api/calls/{callId}/events");

  private final ApiKeys apiKeys;
  private final CallTokens tokens;
  private final IngestMetrics metrics;

  public AccessFilter(ApiKeys apiKeys, CallTokens tokens, IngestMetrics metrics) {
    this.apiKeys = apiKeys;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    var callEvents = CALL_EVENTS.matchAndExtract(exchange.getRequest().getPath().pathWithinApplication());
    if (callEvents != null) {
      String callId = callEvents.getUriVariables().get("callId");
      String token = MediaSocketHandler.query(exchange.getRequest().getURI()).get("token");
      Optional<CallTokens.Grant> grant = tokens.verify(token);
      if (grant.isEmpty()) {
        metrics.rejected("live_view", "unauthenticated");
        return refuse(exchange, HttpStatus.UNAUTHORIZED, "missing, invalid or expired call token (token parameter)");
      }
      if (!grant.get().callId().equals(callId)) {
        metrics.rejected("live_view", "other_call");
        return refuse(exchange, HttpStatus.FORBIDDEN, "the token is for another call");
      }
    } else if (path.startsWith("/api/")) {
      if (!apiKeys.matches(exchange.getRequest().getHeaders().getFirst(API_KEY_HEADER))) {
        metrics.rejected("api", "unauthenticated");
        return refuse(exchange, HttpStatus.UNAUTHORIZED, apiKeys.configured()
            ? "missing or wrong " + API_KEY_HEADER + " header"
            : "no API key is configured on this instance (sva.ingest.api-key)");
      }
    } else if (path.startsWith("/media/")) {
      String token = MediaSocketHandler.query(exchange.getRequest().getURI()).get("token");
      boolean required = path.equals("/media/pcm");
      if ((token != null || required) && tokens.verify(token).isEmpty()) {
        metrics.rejected(path.substring("/media/".length()), "unauthenticated");
        return refuse(exchange, HttpStatus.UNAUTHORIZED, "missing, invalid or expired media token");
      }
    }
    return chain.filter(exchange);
  }

  private static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String message) {
    var response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    String body = "{\"status\":" + status.value() + ",\"error\":\"" + status.getReasonPhrase()
        + "\",\"message\":\"" + message + "\"}";
    DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }
}
