package io.salesvoice.crm.bitrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.resilience.ResilienceDefaults;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Bitrix24's REST API over Spring WebClient for one portal, authenticated by its incoming webhook URL (the secret is in
 * the path, so only {@link Redaction#maskUrl} ever reaches a log). Each request first takes its place in the portal's
 * {@link LeakyBucket} and {@link OperatingBudget}, then goes through a circuit breaker (outages only) and a retry with
 * exponential backoff and jitter for answers that prove nothing was applied (limits, refused connections); what still
 * fails, or may have been applied (timeouts, 5xx), leaves as {@link Bitrix24Unavailable} for the command to be retried
 * with its ledger entry saying "maybe applied".
 */
public final class WebClientBitrix24 implements Bitrix24 {

  private static final Logger log = LoggerFactory.getLogger(WebClientBitrix24.class);
  /** Bitrix24 takes at most 50 commands in one batch. */
  public static final int MAX_BATCH = 50;
  /** The request limit's answer: the portal refused the whole request, so nothing of it was applied. */
  public static final String LIMIT = "QUERY_LIMIT_EXCEEDED";
  private static final Set<String> AUTH_ERRORS = Set.of("NO_AUTH_FOUND", "INVALID_CREDENTIALS", "EXPIRED_TOKEN",
      "WRONG_AUTH_TYPE", "INVALID_TOKEN", "AUTHORIZATION_ERROR");

  private final String portal;
  private final String baseUrl;
  private final WebClient webClient;
  private final ObjectMapper json = new ObjectMapper();
  private final Limits limits;
  private final LeakyBucket bucket;
  private final OperatingBudget budget;
  private final CircuitBreaker circuitBreaker;
  private final Retry retry;
  private final Retry packedRetry;
  private final LongSupplier nanoClock;
  private final MeterRegistry meters;
  private final Counter rateLimited;
  private final Timer throttled;

  /**
   * How hard the sink may use one portal.
   *
   * @param burst           the portal's bucket size (50; Enterprise 250)
   * @param drainPerSecond  the portal's drain rate (2; Enterprise 5)
   * @param safetyMargin    requests of the bucket the sink leaves unused: the portal drains in whole steps once a
   *                        second, and a request reaches it later than the sink counted it (default: drain + 2,
   *                        which covers a second of network delay)
   * @param maxWait         longest a request waits for the bucket or a held-back method before it fails as unavailable
   * @param requestTimeout  longest one HTTP exchange may take
   * @param maxAttempts     attempts per request for limit and outage answers before the command is retried later
   * @param operatingLimit  seconds of execution per method per 10 minutes (480)
   * @param operatingHeadroom share of {@code operatingLimit} used before a method is held back
   */
  public record Limits(int burst, double drainPerSecond, double safetyMargin, Duration maxWait, Duration requestTimeout,
                       int maxAttempts, double operatingLimit, double operatingHeadroom) {

    public static Limits standard() {
      return new Limits(50, 2, 4, Duration.ofSeconds(30), Duration.ofSeconds(30), 4, 480, 0.9);
    }
  }

  public WebClientBitrix24(String portal, String webhookUrl, WebClient.Builder builder, Limits limits,
                           CircuitBreakerConfig breaker, MeterRegistry meters, LongSupplier nanoClock) {
    this.portal = portal;
    this.baseUrl = webhookUrl.endsWith("/") ? webhookUrl : webhookUrl + "/";
    this.webClient = builder.build();
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.bucket = new LeakyBucket(Math.max(1, limits.burst() - limits.safetyMargin()), limits.drainPerSecond(),
        nanoClock.getAsLong());
    this.budget = new OperatingBudget(limits.operatingLimit(), limits.operatingHeadroom(),
        TimeUnit.MINUTES.toMillis(10));
    // Only outages open the breaker: a limit answer says the portal is up, a rejection says the command is wrong.
    this.circuitBreaker = CircuitBreaker.of("bitrix24-" + portal, CircuitBreakerConfig.from(breaker)
        .recordException(e -> e instanceof Bitrix24Unavailable u && u.isOutage())
        .build());
    this.retry = Retry.of("bitrix24-" + portal, ResilienceDefaults.retry(limits.maxAttempts(),
        e -> e instanceof Bitrix24Unavailable u && !u.code().equals("CIRCUIT_OPEN") && !u.maybeApplied()
            && u.retryAfter().compareTo(limits.maxWait()) <= 0));
    // A packed request's limit answer goes back to CoalescingBitrix24, which packs its calls into its next request.
    this.packedRetry = Retry.of("bitrix24-" + portal + "-packed", ResilienceDefaults.retry(limits.maxAttempts(),
        e -> e instanceof Bitrix24Unavailable u && !u.code().equals("CIRCUIT_OPEN") && !u.code().equals(LIMIT)
            && !u.maybeApplied() && u.retryAfter().compareTo(limits.maxWait()) <= 0));
    this.meters = meters;
    this.rateLimited = Counter.builder("sva.crm.rate_limited")
        .description("QUERY_LIMIT_EXCEEDED answers from the portal: our bucket model was behind the portal's counter")
        .tag("portal", portal).register(meters);
    this.throttled = Timer.builder("sva.crm.throttled")
        .description("Time requests waited for the portal's leaky bucket or a held-back method before being sent")
        .tag("portal", portal).register(meters);
    Gauge.builder("sva.crm.circuit.state", this.circuitBreaker, cb -> switch (cb.getState()) {
          case CLOSED -> 0;
          case OPEN, FORCED_OPEN -> 1;
          case HALF_OPEN -> 2;
          default -> 3;
        })
        .description("Circuit breaker towards the portal: 0 closed, 1 open, 2 half-open, 3 disabled/metrics-only")
        .tag("portal", portal).register(meters);
    log.info("Bitrix24 portal '{}' at {}: bucket {} (burst {} less {}), draining {}/s", portal,
        Redaction.maskUrl(webhookUrl), bucket.capacity(), limits.burst(), limits.safetyMargin(), limits.drainPerSecond());
  }

  /** The portal's name in configuration, metrics and logs. */
  public String name() {
    return portal;
  }

  public CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  public LeakyBucket bucket() {
    return bucket;
  }

  public OperatingBudget operatingBudget() {
    return budget;
  }

  @Override
  public Mono<JsonNode> call(String method, Map<String, ?> params) {
    return call(method, params, false);
  }

  /**
   * As {@link #call(String, Map)}; {@code packed} when {@link CoalescingBitrix24} sends it: it already waited with
   * {@link #takeTurn()}, and a {@link #LIMIT} answer fails the call instead of being retried here, so that the caller
   * packs it into its next request with the other calls waiting.
   */
  public Mono<JsonNode> call(String method, Map<String, ?> params, boolean packed) {
    return send(method, params, Set.of(method), packed).map(body -> body.path("result"));
  }

  /** The limits this client keeps to. */
  public Limits limits() {
    return limits;
  }

  @Override
  public Mono<Map<String, JsonNode>> batch(LinkedHashMap<String, Call> calls) {
    return batchEach(calls).map(answers -> {
      Map<String, JsonNode> out = new LinkedHashMap<>();
      answers.forEach((k, a) -> {
        if (a.error() != null) {
          throw a.error();
        }
        out.put(k, a.result());
      });
      return out;
    });
  }

  /** One call's answer within a batch: its result, or why Bitrix24 refused it. */
  public record Answer(JsonNode result, Bitrix24Rejected error) {
  }

  /**
   * A batch whose calls succeed or fail each on its own: a refused call does not fail the others. Fails as a whole
   * only when the batch request itself does (limits, outage), with {@link Bitrix24Unavailable}.
   */
  public Mono<Map<String, Answer>> batchEach(LinkedHashMap<String, Call> calls) {
    return batchEach(calls, false);
  }

  /**
   * As {@link #batchEach(LinkedHashMap)}; {@code packed} when {@link CoalescingBitrix24} sends it: it already waited
   * for its place in the bucket with {@link #takeTurn()} (and filled the batch while it waited), and a {@link #LIMIT}
   * answer fails the batch instead of being retried here, so that the caller packs its calls into its next request.
   */
  public Mono<Map<String, Answer>> batchEach(LinkedHashMap<String, Call> calls, boolean packed) {
    if (calls.isEmpty()) {
      return Mono.just(Map.of());
    }
    if (calls.size() > MAX_BATCH) {
      return Mono.error(new IllegalArgumentException("a batch takes at most " + MAX_BATCH + " calls"));
    }
    Map<String, Object> cmd = new LinkedHashMap<>();
    calls.forEach((k, c) -> cmd.put(k, c.method() + "?" + PhpQuery.encode(c.params())));
    Map<String, Object> body = Map.of("halt", 0, "cmd", cmd);
    Set<String> methods = new java.util.HashSet<>();
    calls.values().forEach(c -> methods.add(c.method()));
    return send("batch", body, methods, packed).map(response -> unpackBatch(calls, response.path("result")));
  }

  private Map<String, Answer> unpackBatch(LinkedHashMap<String, Call> calls, JsonNode result) {
    JsonNode errors = result.path("result_error");
    JsonNode times = result.path("result_time");
    Map<String, Answer> out = new LinkedHashMap<>();
    calls.forEach((k, c) -> {
      JsonNode time = times.path(k);
      if (time.has("operating")) {
        budget.report(c.method(), time.path("operating").asDouble(), time.path("operating_reset_at").asLong() * 1000);
      }
      JsonNode error = errors.path(k);
      if (error.isObject() && error.has("error")) {
        Exception e = classify(c.method(), 200, error.path("error").asText(""),
            error.path("error_description").asText(""));
        if (e instanceof Bitrix24Rejected rejected) {
          out.put(k, new Answer(null, rejected));
          return;
        }
        throw sneaky(e);
      }
      out.put(k, new Answer(result.path("result").path(k), null));
    });
    return out;
  }

  private Mono<JsonNode> send(String method, Object body, Set<String> methods, boolean packed) {
    java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean(packed);
    return Mono.defer(() -> (taken.getAndSet(false) ? heldBack(methods) : heldBack(methods).then(takeTurn()))
            .then(exchange(method, body, methods).transformDeferred(CircuitBreakerOperator.of(circuitBreaker))))
        .onErrorMap(CallNotPermittedException.class, e -> new Bitrix24Unavailable("CIRCUIT_OPEN",
            "Bitrix24 portal '" + portal + "' is down, circuit open", Duration.ZERO, e))
        .transformDeferred(RetryOperator.of(packed ? packedRetry : retry));
  }

  /** Waits while a method is close to its execution-time limit; fails when that would take longer than maxWait. */
  private Mono<Void> heldBack(Set<String> methods) {
    long nowMillis = System.currentTimeMillis();
    long heldBack = 0;
    for (String m : methods) {
      heldBack = Math.max(heldBack, budget.waitBeforeCalling(m, nowMillis));
    }
    if (heldBack > limits.maxWait().toMillis()) {
      return Mono.error(new Bitrix24Unavailable("OPERATION_TIME_LIMIT", "method(s) " + methods
          + " held back: close to Bitrix24's execution-time limit until its reset", Duration.ofMillis(heldBack), null));
    }
    if (heldBack > 0) {
      throttled.record(heldBack, TimeUnit.MILLISECONDS);
      return Mono.delay(Duration.ofMillis(heldBack)).then();
    }
    return Mono.empty();
  }

  /** Completes when the next request may be sent without overrunning the portal's bucket (the place is taken). */
  public Mono<Void> takeTurn() {
    return Mono.defer(() -> {
      long wait = bucket.reserve(nanoClock.getAsLong(), limits.maxWait().toNanos());
      if (wait < 0) {
        return Mono.error(new Bitrix24Unavailable("RATE_LIMIT_QUEUE_FULL", "more requests queued for portal '"
            + portal + "' than its bucket drains within " + limits.maxWait(), limits.maxWait(), null));
      }
      if (wait == 0) {
        return Mono.empty();
      }
      throttled.record(wait, TimeUnit.NANOSECONDS);
      return Mono.delay(Duration.ofNanos(wait)).then();
    });
  }

  private Mono<JsonNode> exchange(String method, Object body, Set<String> methods) {
    return Mono.defer(() -> {
      long started = System.nanoTime();
      return webClient.post()
          .uri(baseUrl + method + ".json")
          .contentType(MediaType.APPLICATION_JSON)
          .accept(MediaType.APPLICATION_JSON)
          .bodyValue(body)
          .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
              .map(text -> interpret(method, response.statusCode().value(), text, methods)))
          .timeout(limits.requestTimeout())
          .onErrorMap(TimeoutException.class, e -> new Bitrix24Unavailable("TIMEOUT",
              method + ": no answer within " + limits.requestTimeout(), Duration.ZERO, e))
          .onErrorMap(WebClientRequestException.class, e -> new Bitrix24Unavailable("NETWORK",
              method + ": cannot reach the portal: " + withoutSecret(rootMessage(e)), Duration.ZERO, e))
          .doOnSuccess(r -> record(method, "ok", started))
          .doOnError(e -> record(method, outcome(e), started));
    });
  }

  private JsonNode interpret(String method, int status, String text, Set<String> methods) {
    JsonNode body;
    try {
      body = text.isBlank() ? MissingNode.getInstance() : json.readTree(text);
    } catch (JsonProcessingException e) {
      body = MissingNode.getInstance();
    }
    if (body.isObject() && body.has("error")) {
      throw sneaky(classify(method, status, body.path("error").asText(""),
          body.path("error_description").asText("")));
    }
    if (status >= 500 || !body.isObject()) {
      throw sneaky(new Bitrix24Unavailable(status >= 500 ? "HTTP_" + status : "BAD_RESPONSE",
          method + ": HTTP " + status + " without a Bitrix24 answer", Duration.ZERO, null));
    }
    if (status >= 400) {
      throw new Bitrix24Rejected(method, status, "", "HTTP " + status);
    }
    JsonNode time = body.path("time");
    if (time.has("operating") && methods.size() == 1 && !method.equals("batch")) {
      budget.report(method, time.path("operating").asDouble(), time.path("operating_reset_at").asLong() * 1000);
    }
    return body;
  }

  private Exception classify(String method, int status, String code, String description) {
    String upper = code.toUpperCase(Locale.ROOT);
    long nowMillis = System.currentTimeMillis();
    switch (upper) {
      case LIMIT -> {
        bucket.saturate(nanoClock.getAsLong());
        rateLimited.increment();
        return new Bitrix24Unavailable(upper, method + ": " + description,
            Duration.ofMillis((long) (1000 / limits.drainPerSecond())), null);
      }
      case "OPERATION_TIME_LIMIT" -> {
        budget.blocked(method, nowMillis);
        return new Bitrix24Unavailable(upper, method + ": " + description,
            Duration.ofMillis(budget.waitBeforeCalling(method, nowMillis)), null);
      }
      case "OVERLOAD_LIMIT", "INTERNAL_SERVER_ERROR" -> {
        return new Bitrix24Unavailable(upper, method + ": " + description, Duration.ZERO, null);
      }
      default -> {
        if (AUTH_ERRORS.contains(upper) || status == 401) {
          // The webhook is wrong or revoked: no command is at fault, so they all wait for an operator.
          return new Bitrix24Unavailable("AUTH:" + upper, method + ": the webhook was refused (" + code + ": "
              + description + "); fix the sva.crm webhook configuration", Duration.ZERO, null);
        }
        if (status >= 500) {
          return new Bitrix24Unavailable("HTTP_" + status, method + ": " + code + " " + description,
              Duration.ZERO, null);
        }
        return new Bitrix24Rejected(method, status, code, Redaction.maskPhonesIn(description));
      }
    }
  }

  /** Lets a checked {@link Bitrix24Unavailable} leave a mapping function; Reactor passes it on as is. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  /** The webhook's token must never reach a log or a dead letter. */
  private String withoutSecret(String text) {
    return text.replace(baseUrl, Redaction.maskUrl(baseUrl));
  }

  private void record(String method, String outcome, long started) {
    Timer.builder("sva.crm.requests")
        .description("Bitrix24 REST requests by method and outcome")
        .tag("portal", portal).tag("method", method).tag("outcome", outcome)
        .register(meters)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  private static String outcome(Throwable e) {
    if (e instanceof Bitrix24Rejected) {
      return "rejected";
    }
    if (e instanceof Bitrix24Unavailable u) {
      return switch (u.code()) {
        case "QUERY_LIMIT_EXCEEDED" -> "rate_limited";
        case "OPERATION_TIME_LIMIT" -> "method_blocked";
        default -> "unavailable";
      };
    }
    return "error";
  }

}
