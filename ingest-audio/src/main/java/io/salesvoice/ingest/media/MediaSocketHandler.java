package io.salesvoice.ingest.media;

import io.salesvoice.ingest.IngestMetrics;
import io.salesvoice.ingest.IngestProperties;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.kafka.RecordSender;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/** Serves one media protocol at its path: every connection is one call, run by a {@link MediaConnection}. */
public final class MediaSocketHandler implements WebSocketHandler {

  /** What every connection shares. */
  public record Edge(IngestProperties properties, String instanceId, CallTokens tokens, LiveCalls calls,
                     ReplyPartitions replyPartitions, RecordSender sender, IngestMetrics metrics) {
  }

  private final String provider;
  private final Function<Map<String, String>, MediaProtocol> protocols;
  private final Edge edge;

  public MediaSocketHandler(String provider, Function<Map<String, String>, MediaProtocol> protocols, Edge edge) {
    this.provider = provider;
    this.protocols = protocols;
    this.edge = edge;
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    Map<String, String> query = query(session.getHandshakeInfo().getUri());
    MediaProtocol protocol;
    try {
      protocol = protocols.apply(query);
    } catch (MediaProtocolException e) {
      edge.metrics().rejected(provider, e.metricReason());
      return session.close(MediaConnection.closeStatus(e.closeCode(), e.getMessage()));
    }
    return new MediaConnection(session, protocol, query.get("token"), edge).run();
  }

  /** The connect URL's query parameters, decoded, first value of each. */
  public static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(key, value);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
