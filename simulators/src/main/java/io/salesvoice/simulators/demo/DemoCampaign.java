package io.salesvoice.simulators.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo: a small outbound campaign of simulated calls on a running local pipeline (dialer → simulated carrier →
 * ingest → speech → dialog → CRM), followed to its end, then summarised from the dialer, the simulated carrier, the
 * simulated Bitrix24 portal and analytics. The leads are fictional (555 numbers) and every call is simulated.
 */
public final class DemoCampaign {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Personas of the simulated callees, in the order the demo's leads get them. */
  public static final List<String> PERSONAS = List.of("interested", "busy", "not-interested", "asks-price",
      "voicemail", "no-answer", "line-busy", "interested", "asks-price", "not-interested");

  /**
   * Where the pipeline's parts answer, and the demo's size.
   *
   * @param doNotCallLeads how many extra leads are put on the do-not-call list before the campaign starts
   */
  public record Settings(URI dialer, String dialerApiKey, URI carrier, URI portal, URI analytics, String campaignId,
                         int leads, int doNotCallLeads, int maxConcurrentCalls, Duration timeout) {

    /** The local stack of {@code ./sva}: ports 8087 (dialer), 8088 (carrier), 8090 (portal), 8086 (analytics). */
    public static Settings local(String dialerApiKey, String campaignId, int leads, int maxConcurrentCalls) {
      return new Settings(URI.create("http://127.0.0.1:8087"), dialerApiKey, URI.create("http://127.0.0.1:8088"),
          URI.create("http://127.0.0.1:8090"), URI.create("http://127.0.0.1:8086"), campaignId, leads, 1,
          maxConcurrentCalls, Duration.ofMinutes(15));
    }
  }

  /** One lead of the demo; its persona travels as a custom CSV field to the simulated carrier. */
  public record Lead(String name, String phone, String timezone, String persona) {
  }

  /** What the campaign did. */
  public record Result(String campaignId, boolean finished, Duration elapsed, JsonNode dialerStatus,
                       List<JsonNode> simulatedCalls, JsonNode crm, JsonNode analytics, List<Lead> leads,
                       List<Lead> doNotCall) {
  }

  private final Settings settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public DemoCampaign(Settings settings) {
    this.settings = settings;
  }

  /** The demo's leads: personas in turn, fictional US numbers, a few time zones. */
  public static List<Lead> leads(int count, int offset) {
    String[] names = {"John Carter", "Mary Lee", "Peter Brown", "Linda Green", "James White", "Susan Clark",
        "Robert King", "Karen Hall", "David Young", "Nancy Allen"};
    String[] zones = {"America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London"};
    List<Lead> leads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = offset + i;
      leads.add(new Lead(names[n % names.length], String.format("+1415555%04d", 100 + n), zones[n % zones.length],
          PERSONAS.get(n % PERSONAS.size())));
    }
    return leads;
  }

  /** Creates the campaign, uploads its leads, lists the do-not-call ones, starts it and waits for it to finish. */
  public Result run(PrintStream progress) throws IOException, InterruptedException {
    Instant started = Instant.now();
    List<Lead> leads = leads(settings.leads(), 0);
    List<Lead> doNotCall = leads(settings.doNotCallLeads(), settings.leads()).stream()
        .map(l -> new Lead(l.name(), l.phone(), l.timezone(), "interested")).toList();
    ObjectNode campaign = JSON.createObjectNode()
        .put("id", settings.campaignId())
        .put("name", "Demo of simulated calls")
        .put("scriptId", "sales-en")
        .put("language", "en-US")
        .put("maxConcurrentCalls", settings.maxConcurrentCalls())
        .put("callsPerSecond", 1)
        .put("ringTimeoutSeconds", 20);
    campaign.putObject("callingHours").put("start", "00:00").put("end", "23:59");
    ObjectNode retry = campaign.putObject("retry");
    retry.putObject("noAnswer").put("maxAttempts", 2).put("delaySeconds", 5);
    retry.putObject("busy").put("maxAttempts", 2).put("delaySeconds", 5);
    retry.putObject("voicemail").put("maxAttempts", 1).put("delaySeconds", 5);
    dialer("POST", "/api/campaigns", "application/json", JSON.writeValueAsString(campaign), 201);

    if (!doNotCall.isEmpty()) {
      ObjectNode dnc = JSON.createObjectNode();
      doNotCall.forEach(l -> dnc.withArray("phoneNumbers").add(l.phone()));
      dialer("POST", "/api/do-not-call", "application/json", JSON.writeValueAsString(dnc), 200);
    }
    StringBuilder csv = new StringBuilder("name,phone,timezone,language,persona\n");
    for (Lead l : concat(leads, doNotCall)) {
      csv.append(l.name()).append(',').append(l.phone()).append(',').append(l.timezone()).append(",en-US,")
          .append(l.persona()).append('\n');
    }
    dialer("POST", "/api/campaigns/" + settings.campaignId() + "/leads", "text/csv", csv.toString(), 200);
    dialer("POST", "/api/campaigns/" + settings.campaignId() + "/start", null, null, 200);

    JsonNode status = JSON.createObjectNode();
    Instant deadline = started.plus(settings.timeout());
    ProgressBar bar = new ProgressBar(progress, leads.size() + doNotCall.size());
    while (Instant.now().isBefore(deadline)) {
      try {
        status = JSON.readTree(dialer("GET", "/api/campaigns/" + settings.campaignId() + "/status", null, null, 200));
      } catch (IOException unavailable) {
        // a restarting dialer refuses connections, then answers 503 while it restores its state: keep following
        Thread.sleep(1000);
        continue;
      }
      bar.show(done(status), status);
      if (status.path("finished").asBoolean(false)) {
        break;
      }
      Thread.sleep(1000);
    }
    bar.end();
    // analytics and the CRM trail the calls by a few seconds: let the last call's records arrive
    Thread.sleep(5000);
    return new Result(settings.campaignId(), status.path("finished").asBoolean(false),
        Duration.between(started, Instant.now()), status, simulatedCalls(), get(settings.portal(),
        "/simulator/summary"), get(settings.analytics(), "/api/analytics/campaigns/" + settings.campaignId()), leads,
        doNotCall);
  }

  private static int done(JsonNode status) {
    int done = 0;
    JsonNode byState = status.path("leadsByState");
    for (String s : List.of("CONNECTED", "EXHAUSTED", "FAILED", "DO_NOT_CALL")) {
      done += byState.path(s).asInt(0);
    }
    return done;
  }

  private List<JsonNode> simulatedCalls() {
    JsonNode calls = get(settings.carrier(), "/simulator/calls");
    List<JsonNode> mine = new ArrayList<>();
    JsonNode list = calls.isArray() ? calls : calls.path("calls");
    list.forEach(c -> {
      if (settings.campaignId().equals(c.path("campaignId").asText(null))) {
        mine.add(c);
      }
    });
    return mine;
  }

  private String dialer(String method, String path, String contentType, String body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(settings.dialer().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("X-Api-Key", settings.dialerApiKey());
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** A JSON document, or a JSON object saying why there is none (a part that is down does not stop the summary). */
  private JsonNode get(URI base, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return JSON.createObjectNode().put("unavailable", "HTTP " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      return JSON.createObjectNode().put("unavailable", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.createObjectNode().put("unavailable", "interrupted");
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A one-line progress bar redrawn in place on a terminal, one line per change otherwise. */
  private static final class ProgressBar {
    private final PrintStream out;
    private final int total;
    private final boolean terminal = System.console() != null;
    private String last = "";

    ProgressBar(PrintStream out, int total) {
      this.out = out;
      this.total = total;
    }

    void show(int done, JsonNode status) {
      int width = 30;
      int filled = total == 0 ? width : Math.min(width, done * width / total);
      Map<String, Integer> states = new LinkedHashMap<>();
      status.path("leadsByState").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue().asInt()));
      String line = String.format("  [%s%s] %d/%d leads done, %d calls in progress, %d calls placed",
          "#".repeat(filled), ".".repeat(width - filled), done, total, status.path("callsInProgress").asInt(0),
          status.path("attempts").asInt(0));
      if (line.equals(last)) {
        return;
      }
      last = line;
      if (terminal) {
        out.print("\r" + line);
      } else {
        out.println(line);
      }
      out.flush();
    }

    void end() {
      if (terminal) {
        out.println();
      }
    }
  }
}
