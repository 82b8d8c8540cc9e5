package io.salesvoice.telephony.voximplant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.resilience.ResilienceDefaults;
import io.salesvoice.telephony.domain.CallPlacer;
import io.salesvoice.telephony.domain.CustomDataJson;
import io.salesvoice.telephony.domain.PlacementRejected;
import io.salesvoice.telephony.domain.PlacementUncertain;
import io.salesvoice.telephony.domain.ProviderUnavailable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Starts a call through Voximplant's Management API: {@code POST <api>/StartScenarios} (form-encoded) with the
 * routing rule whose scenario dials the lead, and the call's data as {@code script_custom_data}, which the scenario
 * reads with {@code VoxEngine.customData()}. Answers are {@code {"result":1,"call_session_history_id":…}} or
 * {@code {"error":{"msg":…,"code":…}}}.
 *
 * <p>Retried here (resilience4j, exponential backoff with jitter) only what proves nothing was started: HTTP 429
 * (Voximplant allows 200 concurrent requests), 500/502/503, the server-side error codes below 100 (internal, media
 * server or balancer failures), and connections that were never made. A request that may have started the call — a
 * read timeout, a 504, an answer that cannot be read — is never sent again ({@link PlacementUncertain}). Every other
 * error (authorization failed, invalid arguments such as an unknown rule, a 4xx) is {@link PlacementRejected}.
 */
public final class VoximplantCallPlacer implements CallPlacer {

  private static final Logger log = LoggerFactory.getLogger(VoximplantCallPlacer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** HTTP answers that Voximplant gives before it did anything. 504 is not one: the gateway may have passed it on. */
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 500, 502, 503);

  /** How requests are sent, retried and bounded. */
  public record Settings(String apiUrl, long ruleId, Duration requestTimeout, int maxAttempts, Duration initialBackoff,
                         Duration maxBackoff, int maxConcurrentRequests, Duration maxWaitForSlot) {
  }

  private final WebClient http;
  private final VoximplantCredentials credentials;
  private final Settings settings;
  private final Retry retry;
  private final Bulkhead bulkhead;
  private final MeterRegistry meters;

  public VoximplantCallPlacer(WebClient.Builder webClient, VoximplantCredentials credentials, Settings settings,
                              MeterRegistry meters) {
    String base = settings.apiUrl().endsWith("/") ? settings.apiUrl() : settings.apiUrl() + "/";
    this.http = webClient.baseUrl(base).build();
    this.credentials = credentials;
    this.settings = settings;
    this.meters = meters;
    RetryConfig retryConfig = RetryConfig.custom()
        .maxAttempts(settings.maxAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), 2.0,
            ResilienceDefaults.JITTER, settings.maxBackoff()))
        .retryOnException(e -> e instanceof ProviderUnavailable)
        .build();
    this.retry = Retry.of("voximplant", retryConfig);
    retry.getEventPublisher().onRetry(e -> log.warn("Voximplant StartScenarios: attempt {} failed, retrying in {}: {}",
        e.getNumberOfRetryAttempts(), e.getWaitInterval(), e.getLastThrowable().getMessage()));
    // Voximplant answers 429 above 200 concurrent requests per account: stay well below it per instance.
    this.bulkhead = Bulkhead.of("voximplant", BulkheadConfig.custom()
        .maxConcurrentCalls(settings.maxConcurrentRequests())
        .maxWaitDuration(settings.maxWaitForSlot())
        .build());
  }

  @Override
  public String provider() {
    return "voximplant";
  }

  @Override
  public Mono<Placed> place(String callId, Map<String, Object> customData) {
    return Mono.defer(() -> startScenario(customData))
        .transformDeferred(BulkheadOperator.of(bulkhead))
        .onErrorMap(BulkheadFullException.class,
            e -> new ProviderUnavailable("BULKHEAD_FULL", "too many Voximplant requests in flight", e))
        .transformDeferred(RetryOperator.of(retry));
  }

  private Mono<Placed> startScenario(Map<String, Object> customData) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> params = new LinkedHashMap<>();
    credentials.authorize(headers, params);
    params.put("rule_id", Long.toString(settings.ruleId()));
    params.put("script_custom_data", CustomDataJson.write(customData));
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    params.forEach(form::add);
    Timer.Sample sample = Timer.start(meters);
    return http.post().uri("StartScenarios")
        .headers(h -> headers.forEach(h::set))
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .accept(MediaType.APPLICATION_JSON)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
            .map(body -> answer(response.statusCode(), body)))
        .timeout(settings.requestTimeout())
        .onErrorMap(e -> !(e instanceof PlacementRejected || e instanceof ProviderUnavailable
            || e instanceof PlacementUncertain), VoximplantCallPlacer::transportFailure)
        .doOnEach(signal -> {
          if (signal.isOnNext() || signal.isOnError()) {
            sample.stop(Timer.builder("sva.telephony.provider.requests")
                .description("StartScenarios requests to Voximplant, by outcome")
                .tag("provider", "voximplant").tag("outcome", outcome(signal.getThrowable()))
                .register(meters));
          }
        });
  }

  /** The meaning of one answer; throws the failure it proves. */
  static Placed answer(HttpStatusCode status, String body) {
    JsonNode json = null;
    try {
      json = body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      // not JSON: decided by the status below
    }
    JsonNode error = json == null ? null : json.get("error");
    if (status.value() == 429) {
      throw new ProviderUnavailable("RATE_LIMITED", "Voximplant answered 429 Too Many Requests" + describe(error), null);
    }
    if (RETRYABLE_STATUS.contains(status.value())) {
      throw new ProviderUnavailable("HTTP_" + status.value(), "Voximplant answered HTTP " + status.value()
          + describe(error), null);
    }
    if (status.is5xxServerError()) {
      throw new PlacementUncertain("Voximplant answered HTTP " + status.value() + describe(error)
          + ": the request may have been passed on", null);
    }
    if (error != null && error.isObject()) {
      int code = error.path("code").asInt(-1);
      String msg = error.path("msg").asText("no message");
      if (code == 429) {
        throw new ProviderUnavailable("RATE_LIMITED", "Voximplant error 429: " + msg, null);
      }
      if (code >= 0 && code < 100) {
        // Voximplant's own failures: fatal/internal/DB error, media server or balancer error, call service failed.
        throw new ProviderUnavailable(Integer.toString(code), "Voximplant error " + code + ": " + msg, null);
      }
      throw new PlacementRejected(Integer.toString(code), "Voximplant error " + code + ": " + msg);
    }
    if (status.is4xxClientError()) {
      throw new PlacementRejected("HTTP_" + status.value(), "Voximplant answered HTTP " + status.value());
    }
    if (json != null && json.path("result").asInt(0) == 1) {
      JsonNode session = json.get("call_session_history_id");
      return new Placed(session == null || session.isNull() ? null : session.asText());
    }
    throw new PlacementUncertain("Voximplant answered HTTP " + status.value()
        + " without a result or an error; the scenario may have started", null);
  }

  private static RuntimeException transportFailure(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException) {
        // Never connected: nothing was sent.
        return new ProviderUnavailable("NETWORK", "Voximplant cannot be reached: " + c.getMessage(), e);
      }
    }
    if (e instanceof TimeoutException) {
      return new PlacementUncertain("no answer from Voximplant in time; the scenario may have started", e);
    }
    String what = e instanceof WebClientRequestException ? "the request to Voximplant failed" : "Voximplant's answer broke off";
    return new PlacementUncertain(what + " (" + Redaction.maskPhonesIn(String.valueOf(e.getMessage()))
        + "); the scenario may have started", e);
  }

  private static String describe(JsonNode error) {
    if (error == null || !error.isObject()) {
      return "";
    }
    return " (error " + error.path("code").asText("?") + ": " + error.path("msg").asText("") + ")";
  }

  private static String outcome(Throwable e) {
    if (e == null) {
      return "started";
    }
    if (e instanceof ProviderUnavailable u) {
      return u.code().equals("RATE_LIMITED") ? "rate_limited" : "unavailable";
    }
    return e instanceof PlacementRejected ? "rejected" : "uncertain";
  }

  @Override
  public String toString() {
    return "Voximplant rule " + settings.ruleId() + " via " + Redaction.maskUrl(settings.apiUrl()) + " ("
        + credentials.kind() + ")";
  }
}
