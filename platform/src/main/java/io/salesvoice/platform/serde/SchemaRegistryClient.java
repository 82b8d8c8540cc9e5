package io.salesvoice.platform.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API the Avro serde needs (register, look up, fetch by id),
 * with caches so that a schema costs one request per process, not one per record. Works against Confluent's
 * registry, Apicurio's {@code ccompat} API, Karapace or Redpanda alike.
 */
public final class SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<SubjectSchema, Integer> idBySubjectSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

  /**
   * @param baseUrl       e.g. {@code http://localhost:8081/apis/ccompat/v7} or {@code https://registry.example:8081}
   * @param basicUserInfo {@code user:password} for HTTP basic authentication, or null
   */
  public SchemaRegistryClient(String baseUrl, String basicUserInfo, Duration timeout) {
    Objects.requireNonNull(baseUrl, "schema registry URL");
    this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.authorization = basicUserInfo == null || basicUserInfo.isBlank() ? null
        : "Basic " + Base64.getEncoder().encodeToString(basicUserInfo.getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Registers the schema under the subject (a no-op on the registry if it is already there) and returns its id. */
  public int register(String subject, Schema schema) {
    return idBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
      JsonNode answer;
      try {
        answer = post("subjects/" + encode(subject) + "/versions", schema, "register the schema of "
            + schema.getFullName() + " under subject '" + subject + "'");
      } catch (SchemaRegistryException e) {
        if (e.status() != 409) {
          throw e;
        }
        // Apicurio also answers 409 when another producer registered the same schema a moment ago ("already
        // exists"); only a schema that is really not there is incompatible.
        answer = lookUpAfterConflict(subject, schema, e);
      }
      int id = answer.path("id").asInt(-1);
      schemaById.putIfAbsent(id, schema);
      return id;
    });
  }

  private JsonNode lookUpAfterConflict(String subject, Schema schema, SchemaRegistryException conflict) {
    try {
      return post("subjects/" + encode(subject) + "?normalize=false", schema, "look up the schema of "
          + schema.getFullName() + " under subject '" + subject + "'");
    } catch (SchemaRegistryException notThere) {
      throw conflict;
    }
  }

  /** The id of a schema already registered under the subject; fails with 40401/40403 if it is not. */
  public int lookUp(String subject, Schema schema) {
    return idBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
      JsonNode answer = post("subjects/" + encode(subject) + "?normalize=false", schema, "look up the schema of "
          + schema.getFullName() + " under subject '" + subject + "'");
      int id = answer.path("id").asInt(-1);
      schemaById.putIfAbsent(id, schema);
      return id;
    });
  }

  /** The newest schema registered under the subject, with its id (for {@code use.latest.version}). */
  public Map.Entry<Integer, Schema> latest(String subject) {
    JsonNode answer = send(request("subjects/" + encode(subject) + "/versions/latest").GET().build(),
        "read the latest schema of subject '" + subject + "'");
    int id = answer.path("id").asInt(-1);
    Schema schema = schemaById.computeIfAbsent(id, i -> new Schema.Parser().parse(answer.path("schema").asText()));
    return Map.entry(id, schema);
  }

  /** The writer schema that a record's id names; fetched once per id. */
  public Schema schemaById(int id) {
    return schemaById.computeIfAbsent(id, i -> {
      JsonNode answer = send(request("schemas/ids/" + i).GET().build(), "fetch schema id " + i);
      String type = answer.path("schemaType").asText("AVRO");
      if (!"AVRO".equals(type)) {
        throw new SchemaRegistryException("schema id " + i + " is a " + type + " schema, not Avro", 200, 0, null);
      }
      return new Schema.Parser().parse(answer.path("schema").asText());
    });
  }

  private JsonNode post(String path, Schema schema, String what) {
    String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", CONTENT_TYPE).build(), what);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(timeout).header("Accept", CONTENT_TYPE);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException("cannot " + what + ": the registry at " + hostOf(baseUrl)
          + " is unreachable (" + e + ")", 0, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while trying to " + what, 0, 0, new IOException(e));
    }
    JsonNode body = parse(response.body());
    int status = response.statusCode();
    if (status / 100 == 2) {
      return body;
    }
    int errorCode = body.path("error_code").asInt(status);
    String message = body.path("message").asText(response.body());
    String text = "cannot " + what + ": the registry answered HTTP " + status + ", error " + errorCode + ": " + message;
    boolean retriable = status >= 500 || status == 429 || status == 408;
    throw new SchemaRegistryException(text, status, errorCode, retriable ? new IOException(text) : null);
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** Only scheme, host and port: the URL may carry credentials and must not reach a log. */
  private static String hostOf(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private record SubjectSchema(String subject, Schema schema) {
  }
}
