package io.salesvoice.simulators.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The two HTTP APIs a replay QA run needs: ingest-audio's {@code /api/replays} (upload, progress) and analytics-stream's
 * call and campaign views. It turns transport failures and refusals into {@link ReplayQaException}s a person can act on.
 */
public final class ReplayClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI ingest;
  private final URI analytics;
  private final String apiKey;
  private final Duration requestTimeout;
  private final HttpClient http;

  public ReplayClient(URI ingest, URI analytics, String apiKey, Duration requestTimeout) {
    this.ingest = ingest;
    this.analytics = analytics;
    this.apiKey = apiKey;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Uploads a recording; returns the replay's status (202). A refusal (4xx) throws a non-fatal exception carrying the
   * API's own message, so the run can go on with the next file; a missing or wrong API key is fatal.
   */
  public JsonNode upload(Path file, Map<String, String> params) throws ReplayQaException, InterruptedException {
    String query = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(ingest.resolve("/api/replays" + (query.isEmpty() ? "" : "?" + query)))
          .timeout(requestTimeout)
          .header("X-Api-Key", apiKey)
          // the server sniffs the bytes; a WAV says so, anything else is left to it (MP3, Ogg… get its 415 message)
          .header("Content-Type", name.endsWith(".wav") || name.endsWith(".wave") ? "audio/wav"
              : "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofFile(file))
          .build();
    } catch (IOException e) {
      throw new ReplayQaException("cannot read " + file + ": " + e.getMessage(), false);
    }
    HttpResponse<String> r = send(request, "ingest-audio", ingest);
    if (r.statusCode() == 202 || r.statusCode() == 200) {
      return parse(r.body(), "ingest-audio");
    }
    throw refusal(r, "upload refused");
  }

  /**
   * Checks, before anything is uploaded, that ingest-audio answers and takes the API key: an unknown replay id must
   * come back 404 (401 for a wrong key; nothing at all when the pipeline is down).
   */
  public void check() throws ReplayQaException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(ingest.resolve("/api/replays/sva-replay-check"))
        .timeout(requestTimeout).header("X-Api-Key", apiKey).GET().build(), "ingest-audio", ingest);
    if (r.statusCode() != 404 && r.statusCode() != 200) {
      ReplayQaException e = refusal(r, "ingest-audio's replay API");
      throw e.fatal() ? e : new ReplayQaException(e.getMessage() + " (is " + ingest + " ingest-audio?)", true);
    }
  }

  /** The replay's progress ({@code GET /api/replays/{id}}). */
  public JsonNode replay(String id) throws ReplayQaException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(ingest.resolve("/api/replays/" + encode(id)))
        .timeout(requestTimeout).header("X-Api-Key", apiKey).GET().build(), "ingest-audio", ingest);
    if (r.statusCode() == 200) {
      return parse(r.body(), "ingest-audio");
    }
    throw refusal(r, "replay " + id + " unknown to ingest-audio");
  }

  /** The call's analytics view; empty while analytics does not know the call (404) or is moving its store (503). */
  public Optional<JsonNode> call(String callId) throws ReplayQaException, InterruptedException {
    return view("/api/analytics/calls/" + encode(callId));
  }

  /** A replay campaign's view ({@code ?replay=true}); empty while unknown or unavailable. */
  public Optional<JsonNode> replayCampaign(String campaignId) throws ReplayQaException, InterruptedException {
    return view("/api/analytics/campaigns/" + encode(campaignId) + "?replay=true");
  }

  private Optional<JsonNode> view(String path) throws ReplayQaException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(analytics.resolve(path)).timeout(requestTimeout).GET()
        .build(), "analytics-stream", analytics);
    if (r.statusCode() == 200) {
      return Optional.of(parse(r.body(), "analytics-stream"));
    }
    if (r.statusCode() == 404 || r.statusCode() == 503) {
      return Optional.empty();
    }
    throw new ReplayQaException("analytics-stream answered " + r.statusCode() + " to " + path + ": "
        + message(r.body()), true);
  }

  private HttpResponse<String> send(HttpRequest request, String who, URI base)
      throws ReplayQaException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new ReplayQaException(who + " at " + base + " did not answer within " + requestTimeout.toSeconds()
          + " s", true);
    } catch (IOException e) {
      boolean refused = e instanceof ConnectException || e.getCause() instanceof ConnectException;
      throw new ReplayQaException(who + " is not reachable at " + base + " ("
          + (refused ? "connection refused" : e.toString()) + "): is the pipeline up? Start it with ./sva up", true);
    }
  }

  private static ReplayQaException refusal(HttpResponse<String> r, String what) {
    String message = r.statusCode() + " " + message(r.body());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      return new ReplayQaException("ingest-audio refused the API key (" + message
          + "): SVA_INGEST_API_KEY must be the key in .sva/secrets.env", true);
    }
    if (r.statusCode() >= 500) {
      return new ReplayQaException("ingest-audio failed: " + message, true);
    }
    return new ReplayQaException(what + ": " + message, false);
  }

  /** The {@code message} of the API's JSON error, else the body itself (cut short). */
  static String message(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return (n.hasNonNull("error") ? n.path("error").asText() + ": " : "") + n.path("message").asText();
      }
      if (n != null && n.hasNonNull("error")) {
        return n.path("error").asText();
      }
    } catch (IOException e) {
      // not JSON: fall through to the raw body
    }
    String b = body == null ? "" : body.strip();
    return b.isEmpty() ? "(no message)" : b.length() > 300 ? b.substring(0, 300) + "…" : b;
  }

  private static JsonNode parse(String body, String who) throws ReplayQaException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new ReplayQaException(who + " answered something that is not JSON: " + message(body), true);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
