package io.salesvoice.telephony.voximplant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SIMULATED Voximplant Management API on a local port, answering {@code POST /platform_api/StartScenarios} as
 * Voximplant's documentation says: form-encoded parameters; authorization by a service-account JWT (RS256, kid =
 * key_id, iss = account_id, exp at most iat + 3600) or the deprecated account_id + api_key; success
 * {@code {"result":1,"media_session_access_url":…,"call_session_history_id":…}}; errors
 * {@code {"error":{"msg":…,"code":…}}} (100 Authorization failed, 101 Invalid arguments for an unknown rule); 429
 * beyond its concurrency. Tests script further answers (outages, limits, timeouts) one request at a time.
 */
public final class SimulatedVoximplantApi implements AutoCloseable {

  /** One scripted answer instead of the normal one. */
  public enum Answer { RATE_LIMITED, UNAVAILABLE_503, MEDIA_SERVER_ERROR, GATEWAY_TIMEOUT_504, HANG }

  /** A scenario the simulated platform started, with the parameters it was started with. */
  public record Start(long sessionId, Map<String, String> params) {
    public JsonNode customData() {
      try {
        return new ObjectMapper().readTree(params.get("script_custom_data"));
      } catch (IOException e) {
        throw new AssertionError("script_custom_data is not JSON", e);
      }
    }
  }

  public final long accountId = 4242;
  public final String keyId = "f0e1d2c3-test-key";
  public final long ruleId = 3141;
  public final KeyPair keys;
  /** Scenarios started, in order. */
  public final List<Start> starts = new CopyOnWriteArrayList<>();
  /** Every StartScenarios request received, started or not. */
  public final AtomicInteger requests = new AtomicInteger();
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final AtomicInteger sessions = new AtomicInteger(900_000);
  private final String apiKey;
  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private volatile Duration hang = Duration.ofSeconds(3);

  public SimulatedVoximplantApi() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
      byte[] random = new byte[18];
      new java.security.SecureRandom().nextBytes(random);
      this.apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/platform_api/StartScenarios", this::startScenarios);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/platform_api/";
  }

  /** The service account key as Voximplant generates it (the JSON its control panel downloads). */
  public String credentialsJson() {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("account_email", "sales@example.com");
    c.put("account_id", accountId);
    c.put("key_id", keyId);
    c.put("private_key", pem);
    try {
      return json.writeValueAsString(c);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public VoximplantCredentials serviceAccount() {
    return VoximplantCredentials.serviceAccount(credentialsJson(), Clock.systemUTC());
  }

  public VoximplantCredentials.ApiKey apiKeyCredentials() {
    return new VoximplantCredentials.ApiKey(Long.toString(accountId), apiKey);
  }

  /** The next requests get these answers, in order; then the normal ones again. */
  public void script(Answer... answers) {
    for (Answer a : answers) {
      script.addLast(a);
    }
  }

  public void hangFor(Duration d) {
    this.hang = d;
  }

  private void startScenarios(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!exchange.getRequestMethod().equals("POST") && !exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "{\"error\":{\"msg\":\"Method not allowed\",\"code\":103}}");
        return;
      }
      Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Answer scripted = script.pollFirst();
      if (scripted != null) {
        switch (scripted) {
          case RATE_LIMITED -> send(exchange, 429, "{\"error\":{\"msg\":\"Too Many Requests\",\"code\":429}}");
          case UNAVAILABLE_503 -> send(exchange, 503, "{\"error\":{\"msg\":\"Internal error\",\"code\":2}}");
          case MEDIA_SERVER_ERROR -> send(exchange, 200, "{\"error\":{\"msg\":\"Media server error\",\"code\":15}}");
          case GATEWAY_TIMEOUT_504 -> send(exchange, 504, "<html>Gateway Timeout</html>");
          case HANG -> {
            sleep(hang);
            start(exchange, params);   // it did start, but too late for the caller to hear
          }
        }
        return;
      }
      if (!authorized(exchange, params)) {
        send(exchange, 200, "{\"error\":{\"msg\":\"Authorization failed\",\"code\":100}}");
        return;
      }
      if (!Long.toString(ruleId).equals(params.get("rule_id"))) {
        send(exchange, 200, "{\"error\":{\"msg\":\"Invalid arguments: the rule " + params.get("rule_id")
            + " is not found\",\"code\":101}}");
        return;
      }
      start(exchange, params);
    }
  }

  private void start(HttpExchange exchange, Map<String, String> params) throws IOException {
    long session = sessions.incrementAndGet();
    starts.add(new Start(session, params));
    send(exchange, 200, "{\"result\":1,\"media_session_access_url\":\"http://127.0.0.1:12092/request/" + session
        + "/X\",\"media_session_access_secure_url\":\"https://127.0.0.1:12093/request/" + session
        + "/X\",\"call_session_history_id\":" + session + "}");
  }

  private boolean authorized(HttpExchange exchange, Map<String, String> params) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.startsWith("Bearer ")) {
      return validJwt(auth.substring(7));
    }
    return Long.toString(accountId).equals(params.get("account_id")) && apiKey.equals(params.get("api_key"));
  }

  private boolean validJwt(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Base64.Decoder d = Base64.getUrlDecoder();
      JsonNode header = json.readTree(d.decode(parts[0]));
      JsonNode claims = json.readTree(d.decode(parts[1]));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(keys.getPublic());
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      long now = System.currentTimeMillis() / 1000;
      long iat = claims.path("iat").asLong();
      long exp = claims.path("exp").asLong();
      return rs256.verify(d.decode(parts[2])) && header.path("alg").asText().equals("RS256")
          && header.path("kid").asText().equals(keyId) && claims.path("iss").asLong() == accountId
          && iat <= now + 5 && exp > now && exp - iat <= 3600;
    } catch (Exception e) {
      return false;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(k, v);
    }
    return params;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/html");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
