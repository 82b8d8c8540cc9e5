package io.salesvoice.simulators.bitrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated Bitrix24 portal, for tests, benchmarks and the demo — never a real CRM. It answers as Bitrix24's REST documentation says: webhook URLs {@code /rest/<user>/<token>/
 * <method>.json}, {@code {"result": ..., "time": {..., "operating", "operating_reset_at"}}} on success,
 * {@code {"error": ..., "error_description": ...}} on failure, the leaky-bucket request limit (503
 * QUERY_LIMIT_EXCEEDED; the counter drains in whole steps once a second), the per-method execution-time limit (429
 * OPERATION_TIME_LIMIT), {@code batch} with {@code result/result_error/result_time}, and outages on demand.
 */
public final class SimulatedBitrix24 implements AutoCloseable {

  /** The webhook token tests use; {@link #main} takes its own from the environment. */
  public static final String TOKEN = "s3cr3tt0k3n";
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final int boundPort;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final int burst;
  private final int drainPerSecond;

  // --- the portal's data
  public final Map<String, Map<String, Object>> leads = new ConcurrentHashMap<>();
  public final Map<String, Map<String, Object>> contacts = new ConcurrentHashMap<>();
  public final Map<String, Map<String, Object>> calls = new ConcurrentHashMap<>();
  public final Map<String, Map<String, Object>> comments = new ConcurrentHashMap<>();
  public final Map<String, Map<String, Object>> activities = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(100);

  // --- what happened
  public final List<String> requests = new CopyOnWriteArrayList<>();
  public final List<Long> requestTimesMillis = new CopyOnWriteArrayList<>();
  /** Calls carried by each admitted request, in arrival order: 1 for a plain call, the commands of a batch. */
  public final List<Integer> callsPerRequest = new CopyOnWriteArrayList<>();
  public final AtomicInteger limitAnswers = new AtomicInteger();
  public final AtomicInteger requestsAfterFirstLimit = new AtomicInteger();
  public final AtomicInteger limitAnswersAfterFirst = new AtomicInteger();

  // --- behaviour
  private volatile boolean down;
  private final Map<String, String[]> denied = new ConcurrentHashMap<>();
  private final Map<String, Double> operatingCost = new ConcurrentHashMap<>();
  private final Map<String, double[]> operating = new ConcurrentHashMap<>();
  private volatile double operatingLimit = 480;
  private volatile String hangAfter;
  private volatile CountDownLatch hung = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean enforceLimit = true;
  private volatile long answerDelayMillis;

  private double counter;
  private boolean fillOnFirstRequest;
  private long lastTick = System.currentTimeMillis();

  private final String token;

  public SimulatedBitrix24() {
    this(50, 2);
  }

  public SimulatedBitrix24(int burst, int drainPerSecond) {
    this(burst, drainPerSecond, 0, TOKEN);
  }

  /** A portal on {@code port} (0: any free port) whose webhook accepts {@code token}. */
  public SimulatedBitrix24(int burst, int drainPerSecond, int port, String token) {
    this.burst = burst;
    this.drainPerSecond = drainPerSecond;
    this.token = token;
    server = listen(port);
    boundPort = server.getAddress().getPort();
  }

  private HttpServer listen(int port) {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    s.createContext("/rest/", this::handle);
    s.createContext("/simulator/summary", this::summary);
    s.setExecutor(executor);
    s.start();
    return s;
  }

  /**
   * An outage of the whole portal: {@code true} closes its port (connections are refused), {@code false} listens on
   * the same port again; the portal's data is kept, as a real portal's database outlives its web servers.
   */
  public synchronized void unreachable(boolean unreachable) {
    if (unreachable && server != null) {
      server.stop(0);
      server = null;
    } else if (!unreachable && server == null) {
      server = listen(boundPort);
    }
  }

  public String webhookUrl() {
    return "http://127.0.0.1:" + boundPort + "/rest/1/" + token + "/";
  }

  public String webhookUrlWithToken(String other) {
    return "http://127.0.0.1:" + boundPort + "/rest/1/" + other + "/";
  }

  public void down(boolean down) {
    this.down = down;
  }

  /** The portal's counter starts full, as if other integrations had just used the whole burst. */
  public synchronized void fillBucket() {
    counter = burst;
    lastTick = System.currentTimeMillis();
  }

  /** Every admitted request is answered this much later, as a distant or busy portal answers (0: at once). */
  public void answerDelay(java.time.Duration delay) {
    this.answerDelayMillis = delay.toMillis();
  }

  /**
   * The portal's counter will be full when the first request arrives, whenever that is: a client that starts slowly
   * gets no burst from the counter draining in the meantime.
   */
  public synchronized void fillBucketOnFirstRequest() {
    fillOnFirstRequest = true;
  }

  public void enforceLimit(boolean enforce) {
    this.enforceLimit = enforce;
  }

  /** Every call of {@code method} is refused with this status, code and description. */
  public void deny(String method, int status, String code, String description) {
    denied.put(method.toLowerCase(), new String[] {String.valueOf(status), code, description});
  }

  public void allow(String method) {
    denied.remove(method.toLowerCase());
  }

  /** Each call of {@code method} counts this many seconds against its execution-time limit. */
  public void operatingCost(String method, double seconds, double limit) {
    operatingCost.put(method.toLowerCase(), seconds);
    operatingLimit = limit;
  }

  /** The next call of {@code method} is applied, then its answer is held until {@link #release()}. */
  public CountDownLatch hangAfterApplying(String method) {
    hung = new CountDownLatch(1);
    hangAfter = method.toLowerCase();
    return hung;
  }

  public void release() {
    hangAfter = null;
    release.countDown();
  }

  public long count(String method) {
    return requests.stream().filter(m -> m.equalsIgnoreCase(method)).count();
  }

  public List<Map<String, Object>> leadsWithPhone(String phone) {
    return leads.values().stream().filter(l -> hasPhone(l, phone)).toList();
  }

  /** What the portal holds, by entity, and how many requests it answered: the demo prints it. */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("simulated", true);
    out.put("leads", leads.size());
    out.put("contacts", contacts.size());
    out.put("calls", calls.size());
    out.put("comments", comments.size());
    out.put("activities", activities.size());
    out.put("requests", requests.size());
    out.put("limitAnswers", limitAnswers.get());
    out.put("duplicates", duplicates());
    return out;
  }

  /**
   * Entities written twice, by kind: leads or contacts sharing a phone, comments with the same text on the same
   * entity, to-dos with the same owner, title and deadline. A CRM writer that is idempotent leaves every count at 0.
   */
  public Map<String, Integer> duplicates() {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put("leads", extra(leads.values().stream().flatMap(l -> phones(l).stream()).toList()));
    out.put("contacts", extra(contacts.values().stream().flatMap(c -> phones(c).stream()).toList()));
    out.put("comments", extra(comments.values().stream()
        .map(c -> c.get("ENTITY_TYPE") + "/" + c.get("ENTITY_ID") + "/" + c.get("COMMENT")).toList()));
    out.put("activities", extra(activities.values().stream()
        .map(a -> a.get("ownerTypeId") + "/" + a.get("ownerId") + "/" + a.get("title") + "/" + a.get("deadline"))
        .toList()));
    return out;
  }

  /** The last id the portal handed out: entities with a greater id were created after this call. */
  public int lastId() {
    return ids.get();
  }

  private static int extra(List<String> keys) {
    return keys.size() - (int) keys.stream().distinct().count();
  }

  private static List<String> phones(Map<String, Object> entity) {
    List<String> out = new ArrayList<>();
    for (Object v : list(entity.get("PHONE"))) {
      if (v instanceof Map<?, ?> map) {
        out.add(String.valueOf(map.get("VALUE")).replaceAll("\\D", ""));
      }
    }
    return out.stream().distinct().toList();
  }

  private void summary(HttpExchange exchange) throws IOException {
    byte[] body = JSON.writeValueAsBytes(summary());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    release();
    unreachable(true);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // ["", "rest", user, token, method.json]
      if (parts.length != 5) {
        reply(exchange, 404, error("ERROR_METHOD_NOT_FOUND", "Method not found!"));
        return;
      }
      String method = parts[4].replaceAll("\\.json$", "");
      requests.add(method);
      requestTimesMillis.add(System.currentTimeMillis());
      if (down) {
        byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html");
        exchange.sendResponseHeaders(502, html.length);
        exchange.getResponseBody().write(html);
        return;
      }
      if (!parts[3].equals(token)) {
        reply(exchange, 401, error("INVALID_CREDENTIALS", "Invalid request credentials"));
        return;
      }
      if (!admit()) {
        reply(exchange, 503, error("QUERY_LIMIT_EXCEEDED", "Too many requests"));
        return;
      }
      if (answerDelayMillis > 0) {
        sleep(answerDelayMillis);
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      JsonNode params = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      Answer answer;
      callsPerRequest.add(method.equalsIgnoreCase("batch") ? params.path("cmd").size() : 1);
      if (method.equalsIgnoreCase("batch")) {
        answer = batch(params);
      } else {
        answer = invoke(method, JSON.convertValue(params, Map.class));
      }
      if (answer.status != 200) {
        reply(exchange, answer.status, answer.body);
        return;
      }
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("result", answer.body);
      response.put("time", time(method));
      if (hangAfter != null && hangAfter.equalsIgnoreCase(method)) {
        hung.countDown();
        await(release);
        return;   // the connection closes without an answer, as if the client died waiting
      }
      reply(exchange, 200, response);
    } catch (RuntimeException e) {
      reply(exchange, 500, error("INTERNAL_SERVER_ERROR", String.valueOf(e)));
    }
  }

  private record Answer(int status, Object body) {
  }

  private synchronized boolean admit() {
    long now = System.currentTimeMillis();
    if (fillOnFirstRequest) {
      fillOnFirstRequest = false;
      counter = burst;
      lastTick = now;
    }
    long ticks = (now - lastTick) / 1000;
    if (ticks > 0) {
      counter = Math.max(0, counter - ticks * drainPerSecond);
      lastTick += ticks * 1000;
    }
    if (limitAnswers.get() > 0) {
      requestsAfterFirstLimit.incrementAndGet();
    }
    if (enforceLimit && counter >= burst) {
      if (limitAnswers.getAndIncrement() > 0) {
        limitAnswersAfterFirst.incrementAndGet();
      }
      return false;
    }
    counter++;
    return true;
  }

  private Map<String, Object> time(String method) {
    double[] op = operating.getOrDefault(method.toLowerCase(), new double[] {0, 0});
    double now = System.currentTimeMillis() / 1000.0;
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("start", now);
    t.put("finish", now);
    t.put("duration", 0.001);
    t.put("processing", 0.0005);
    t.put("date_start", Instant.now().toString());
    t.put("date_finish", Instant.now().toString());
    t.put("operating_reset_at", (long) (op[1] == 0 ? now + 600 : op[1]));
    t.put("operating", op[0]);
    return t;
  }

  /** Adds the method's cost to its running total; false when the method is blocked. */
  private boolean spend(String method) {
    String m = method.toLowerCase();
    double cost = operatingCost.getOrDefault(m, 0.0);
    double now = System.currentTimeMillis() / 1000.0;
    double[] op = operating.computeIfAbsent(m, k -> new double[] {0, now + 600});
    synchronized (op) {
      if (now >= op[1]) {
        op[0] = 0;
        op[1] = now + 600;
      }
      if (op[0] >= operatingLimit) {
        return false;
      }
      op[0] += cost;
      return true;
    }
  }

  private Answer batch(JsonNode params) {
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> errors = new LinkedHashMap<>();
    Map<String, Object> times = new LinkedHashMap<>();
    JsonNode cmd = params.path("cmd");
    if (cmd.size() > 50) {
      return new Answer(400, error("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"));
    }
    cmd.fields().forEachRemaining(e -> {
      String text = e.getValue().asText();
      int q = text.indexOf('?');
      String method = q < 0 ? text : text.substring(0, q);
      Map<String, Object> p = parsePhpQuery(q < 0 ? "" : text.substring(q + 1));
      Answer a = invoke(method, p);
      if (a.status == 200) {
        result.put(e.getKey(), a.body);
      } else {
        errors.put(e.getKey(), a.body);
      }
      times.put(e.getKey(), time(method));
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("result", result.isEmpty() ? List.of() : result);
    body.put("result_error", errors.isEmpty() ? List.of() : errors);
    body.put("result_total", List.of());
    body.put("result_next", List.of());
    body.put("result_time", times);
    return new Answer(200, body);
  }

  @SuppressWarnings("unchecked")
  private Answer invoke(String method, Map<String, Object> p) {
    String m = method.toLowerCase();
    String[] deny = denied.get(m);
    if (deny != null) {
      return new Answer(Integer.parseInt(deny[0]), error(deny[1], deny[2]));
    }
    if (!spend(m)) {
      return new Answer(429, error("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit."));
    }
    switch (m) {
      case "crm.duplicate.findbycomm" -> {
        List<String> values = list(p.get("values")).stream().map(String::valueOf).toList();
        String type = (String) p.get("entity_type");
        Map<String, Object> found = new LinkedHashMap<>();
        if (type == null || type.equals("LEAD")) {
          putIds(found, "LEAD", leads, values);
        }
        if (type == null || type.equals("CONTACT")) {
          putIds(found, "CONTACT", contacts, values);
        }
        return new Answer(200, found.isEmpty() ? List.of() : found);
      }
      case "crm.lead.add", "crm.contact.add" -> {
        Map<String, Object> fields = (Map<String, Object>) p.get("fields");
        if (fields == null) {
          return new Answer(400, error("", "Fields are not specified"));
        }
        if (fields.containsKey("UF_CRM_UNKNOWN")) {
          return new Answer(400, error("", "Field UF_CRM_UNKNOWN is not found"));
        }
        int id = ids.incrementAndGet();
        (m.startsWith("crm.lead") ? leads : contacts).put(String.valueOf(id), new ConcurrentHashMap<>(fields));
        return new Answer(200, id);
      }
      case "crm.lead.update", "crm.contact.update" -> {
        Map<String, Map<String, Object>> store = m.startsWith("crm.lead") ? leads : contacts;
        Map<String, Object> entity = store.get(String.valueOf(p.get("id")));
        if (entity == null) {
          return new Answer(400, error("", "Not found"));
        }
        entity.putAll((Map<String, Object>) p.getOrDefault("fields", Map.of()));
        return new Answer(200, true);
      }
      case "telephony.externalcall.register" -> {
        String phone = String.valueOf(p.get("PHONE_NUMBER"));
        for (Map.Entry<String, Map<String, Object>> c : calls.entrySet()) {
          Map<String, Object> call = c.getValue();
          if (call.get("PHONE_NUMBER").equals(phone) && Objects.equals(call.get("USER_ID"), p.get("USER_ID"))
              && !Boolean.TRUE.equals(call.get("FINISHED"))) {
            return new Answer(200, registered(c.getKey(), call));   // same CALL_ID within 30 minutes
          }
        }
        Map<String, Object> call = new ConcurrentHashMap<>(p);
        List<String> leadIds = ids(leads, List.of(phone));
        List<String> contactIds = ids(contacts, List.of(phone));
        if (!contactIds.isEmpty()) {
          call.put("CRM_ENTITY_TYPE", "CONTACT");
          call.put("CRM_ENTITY_ID", contactIds.get(0));
        } else if (!leadIds.isEmpty()) {
          call.put("CRM_ENTITY_TYPE", "LEAD");
          call.put("CRM_ENTITY_ID", leadIds.get(0));
        } else if ("1".equals(String.valueOf(p.get("CRM_CREATE")))) {
          String id = String.valueOf(ids.incrementAndGet());
          leads.put(id, new ConcurrentHashMap<>(Map.of("TITLE", "Call " + phone,
              "PHONE", List.of(Map.of("VALUE", phone, "VALUE_TYPE", "WORK")))));
          call.put("CRM_ENTITY_TYPE", "LEAD");
          call.put("CRM_ENTITY_ID", id);
          call.put("CRM_CREATED_LEAD", id);
        }
        String callId = "externalCall." + Integer.toHexString(ids.incrementAndGet()) + "." + System.nanoTime();
        calls.put(callId, call);
        return new Answer(200, registered(callId, call));
      }
      case "telephony.externalcall.finish" -> {
        Map<String, Object> call = calls.get(String.valueOf(p.get("CALL_ID")));
        if (call == null || Boolean.TRUE.equals(call.get("FINISHED"))) {
          return new Answer(400, error("", "Call is not found or already finished"));
        }
        call.put("FINISHED", true);
        call.put("DURATION", p.get("DURATION"));
        call.put("STATUS_CODE", p.get("STATUS_CODE"));
        call.put("FINISH_COUNT", ((Number) call.getOrDefault("FINISH_COUNT", 0)).intValue() + 1);
        return new Answer(200, Map.of("CALL_ID", p.get("CALL_ID"), "CALL_DURATION", p.get("DURATION")));
      }
      case "telephony.externalcall.attachrecord" -> {
        Map<String, Object> call = calls.get(String.valueOf(p.get("CALL_ID")));
        if (call == null) {
          return new Answer(400, error("", "Call is not found"));
        }
        call.put("RECORD_URL", p.get("RECORD_URL"));
        call.put("FILENAME", p.get("FILENAME"));
        return new Answer(200, Map.of("FILE_ID", ids.incrementAndGet()));
      }
      case "voximplant.statistic.get" -> {
        Map<String, Object> filter = (Map<String, Object>) p.getOrDefault("FILTER", Map.of());
        Map<String, Object> call = calls.get(String.valueOf(filter.get("CALL_ID")));
        if (call != null && Boolean.TRUE.equals(call.get("FINISHED"))) {
          return new Answer(200, List.of(Map.of("CALL_ID", filter.get("CALL_ID"), "CALL_DURATION",
              call.get("DURATION"))));
        }
        return new Answer(200, List.of());
      }
      case "crm.timeline.comment.add" -> {
        Map<String, Object> fields = (Map<String, Object>) p.get("fields");
        int id = ids.incrementAndGet();
        comments.put(String.valueOf(id), new ConcurrentHashMap<>(fields));
        return new Answer(200, id);
      }
      case "crm.timeline.comment.list" -> {
        Map<String, Object> filter = (Map<String, Object>) p.getOrDefault("filter", Map.of());
        List<Map<String, Object>> out = new ArrayList<>();
        comments.forEach((id, c) -> {
          if (String.valueOf(c.get("ENTITY_ID")).equals(String.valueOf(filter.get("ENTITY_ID")))
              && String.valueOf(c.get("ENTITY_TYPE")).equals(String.valueOf(filter.get("ENTITY_TYPE")))) {
            out.add(Map.of("ID", id, "COMMENT", c.get("COMMENT")));
          }
        });
        return new Answer(200, out);
      }
      case "crm.activity.todo.add" -> {
        if (p.get("deadline") == null || p.get("ownerId") == null) {
          return new Answer(400, error("", "Required fields: ownerTypeId, ownerId, deadline"));
        }
        int id = ids.incrementAndGet();
        Map<String, Object> a = new ConcurrentHashMap<>(p);
        activities.put(String.valueOf(id), a);
        return new Answer(200, Map.of("id", id));
      }
      case "crm.activity.list" -> {
        Map<String, Object> filter = (Map<String, Object>) p.getOrDefault("filter", Map.of());
        List<Map<String, Object>> out = new ArrayList<>();
        activities.forEach((id, a) -> {
          if (String.valueOf(a.get("ownerId")).equals(String.valueOf(filter.get("OWNER_ID")))
              && String.valueOf(a.get("ownerTypeId")).equals(String.valueOf(filter.get("OWNER_TYPE_ID")))
              && (filter.get("SUBJECT") == null || filter.get("SUBJECT").equals(a.get("title")))) {
            out.add(Map.of("ID", id, "SUBJECT", a.get("title")));
          }
        });
        return new Answer(200, out);
      }
      default -> {
        return new Answer(404, error("ERROR_METHOD_NOT_FOUND", "Method not found!"));
      }
    }
  }

  private static Map<String, Object> registered(String callId, Map<String, Object> call) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("CALL_ID", callId);
    r.put("CRM_CREATED_LEAD", call.get("CRM_CREATED_LEAD"));
    r.put("CRM_ENTITY_TYPE", call.get("CRM_ENTITY_TYPE"));
    r.put("CRM_ENTITY_ID", call.get("CRM_ENTITY_ID"));
    return r;
  }

  private static void putIds(Map<String, Object> found, String type, Map<String, Map<String, Object>> store,
                             List<String> values) {
    List<Integer> ids = ids(store, values).stream().map(Integer::valueOf).toList();
    if (!ids.isEmpty()) {
      found.put(type, ids);
    }
  }

  private static List<String> ids(Map<String, Map<String, Object>> store, List<String> phones) {
    return store.entrySet().stream()
        .filter(e -> phones.stream().anyMatch(ph -> hasPhone(e.getValue(), ph)))
        .map(Map.Entry::getKey).sorted().toList();
  }

  @SuppressWarnings("unchecked")
  static boolean hasPhone(Map<String, Object> entity, String phone) {
    String wanted = phone.replaceAll("\\D", "");
    for (Object v : list(entity.get("PHONE"))) {
      if (v instanceof Map<?, ?> map && String.valueOf(map.get("VALUE")).replaceAll("\\D", "").equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /** PHP query arrays come as maps with numeric keys. */
  private static List<Object> list(Object value) {
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    if (value instanceof Map<?, ?> m) {
      return new ArrayList<>(m.values());
    }
    return value == null ? List.of() : List.of(value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parsePhpQuery(String query) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return root;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      List<String> path = new ArrayList<>();
      int b = name.indexOf('[');
      path.add(b < 0 ? name : name.substring(0, b));
      while (b >= 0) {
        int e = name.indexOf(']', b);
        path.add(name.substring(b + 1, e));
        b = name.indexOf('[', e);
      }
      Map<String, Object> node = root;
      for (int i = 0; i < path.size() - 1; i++) {
        node = (Map<String, Object>) node.computeIfAbsent(path.get(i), k -> new LinkedHashMap<String, Object>());
      }
      node.put(path.get(path.size() - 1), value);
    }
    return root;
  }

  private static Map<String, Object> error(String code, String description) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("error", code);
    e.put("error_description", description);
    return e;
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs the simulated portal for the local stack: {@code SVA_BITRIX_SIM_PORT} (default 8090) and the webhook token
   * {@code SVA_BITRIX_SIM_TOKEN}; prints a summary of what was written when it stops.
   */
  public static void main(String[] args) throws InterruptedException {
    String token = System.getenv("SVA_BITRIX_SIM_TOKEN");
    if (token == null || token.isBlank()) {
      System.err.println("SVA_BITRIX_SIM_TOKEN is not set: the simulated portal needs a webhook token");
      System.exit(2);
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("SVA_BITRIX_SIM_PORT", "8090"));
    SimulatedBitrix24 portal = new SimulatedBitrix24(50, 2, port, token);
    System.out.println("Simulated Bitrix24 portal (not a real CRM) listening on http://127.0.0.1:" + port + "/rest/1/…/");
    Runtime.getRuntime().addShutdownHook(new Thread(portal::close));
    Thread.currentThread().join();
  }
}
