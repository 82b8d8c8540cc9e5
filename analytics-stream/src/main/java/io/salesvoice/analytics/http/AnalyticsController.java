package io.salesvoice.analytics.http;

import io.salesvoice.analytics.domain.Contributions;
import io.salesvoice.analytics.streams.AnalyticsStreams;
import io.salesvoice.analytics.topology.AnalyticsTopology;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Interactive queries over HTTP. Any instance answers any key: it asks Kafka Streams which instance hosts the key's
 * partition and either reads its own store or forwards the request there once (a forwarded request is never
 * forwarded again, so a rebalance in between cannot make requests loop).
 */
@RestController
@RequestMapping("/api/analytics")
public class AnalyticsController {

  /** Marks a request one instance forwarded to another. */
  public static final String FORWARDED = "X-SVA-Forwarded-By";
  /** Names the instance whose store answered. */
  public static final String SERVED_BY = "X-SVA-Served-By";

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsController.class);
  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
  };

  private final AnalyticsStreams streams;
  private final AnalyticsQueries queries;
  private final WebClient http;
  /** Store reads may touch RocksDB files: they run here, never on an event-loop thread. */
  private final Scheduler storeReads = Schedulers.newBoundedElastic(4, 1_000, "analytics-store-reads");

  public AnalyticsController(AnalyticsStreams streams, AnalyticsQueries queries, WebClient.Builder http) {
    this.streams = streams;
    this.queries = queries;
    this.http = http.build();
  }

  @jakarta.annotation.PreDestroy
  void close() {
    storeReads.dispose();
  }

  @GetMapping("/calls/{callId}")
  public Mono<ResponseEntity<Map<String, Object>>> call(@PathVariable String callId,
                                                        @RequestHeader(value = FORWARDED, required = false) String forwardedBy) {
    return answer(AnalyticsTopology.CALL_STORE, callId, "/api/analytics/calls/{key}", callId, forwardedBy,
        s -> queries.call(s, callId));
  }

  @GetMapping("/campaigns/{campaignId}")
  public Mono<ResponseEntity<Map<String, Object>>> campaign(@PathVariable String campaignId,
                                                            @RequestParam(defaultValue = "false") boolean replay,
                                                            @RequestHeader(value = FORWARDED, required = false) String forwardedBy) {
    return answer(AnalyticsTopology.CAMPAIGN_TOTAL_STORE, Contributions.campaignKey(campaignId, replay),
        "/api/analytics/campaigns/{key}?replay=" + replay, campaignId, forwardedBy,
        s -> queries.campaign(s, campaignId, replay));
  }

  private Mono<ResponseEntity<Map<String, Object>>> answer(String store, String storeKey, String path, String pathKey,
                                                           String forwardedBy,
                                                           Function<KafkaStreams, Optional<Map<String, Object>>> local) {
    KafkaStreams s = streams.streams();
    HostInfo self = streams.self();
    if (s == null || self == null) {
      return Mono.just(unavailable("analytics-stream is starting"));
    }
    KeyQueryMetadata where;
    try {
      where = s.queryMetadataForKey(store, storeKey, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      return Mono.just(unavailable("analytics-stream is " + s.state()));
    }
    if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return Mono.just(unavailable("no instance hosts " + store + " for this key yet (rebalancing)"));
    }
    HostInfo owner = where.activeHost();
    if (owner.equals(self) || forwardedBy != null) {
      return Mono.fromCallable(() -> readLocal(s, self, local)).subscribeOn(storeReads);
    }
    return http.get().uri("http://" + owner.host() + ":" + owner.port() + path, pathKey)
        .header(FORWARDED, self.host() + ":" + self.port())
        .exchangeToMono(r -> r.bodyToMono(JSON).defaultIfEmpty(Map.of()).map(body -> {
          ResponseEntity.BodyBuilder b = ResponseEntity.status(r.statusCode());
          String servedBy = r.headers().asHttpHeaders().getFirst(SERVED_BY);
          if (servedBy != null) {
            b.header(SERVED_BY, servedBy);
          }
          return b.body(body);
        }))
        .timeout(Duration.ofSeconds(5))
        .onErrorResume(e -> e instanceof WebClientRequestException || e instanceof java.util.concurrent.TimeoutException,
            e -> {
              LOG.warn("instance {} hosting the key did not answer: {}", owner, e.toString());
              return Mono.just(unavailable("the instance hosting this key (" + owner + ") did not answer"));
            });
  }

  private static ResponseEntity<Map<String, Object>> readLocal(KafkaStreams s, HostInfo self,
                                                               Function<KafkaStreams, Optional<Map<String, Object>>> local) {
    try {
      return local.apply(s)
          .map(body -> ResponseEntity.ok().header(SERVED_BY, self.host() + ":" + self.port()).body(body))
          .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).header(SERVED_BY, self.host() + ":" + self.port())
              .body(Map.of("error", "not found")));
    } catch (InvalidStateStoreException e) {
      return unavailable("the store is moving to this or another instance: " + e.getMessage());
    }
  }

  private static ResponseEntity<Map<String, Object>> unavailable(String why) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").body(Map.of("error", why));
  }
}
