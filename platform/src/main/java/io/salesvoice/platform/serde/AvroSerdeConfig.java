package io.salesvoice.platform.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings under Confluent's own configuration keys, so one client configuration works with
 * this serde and with Confluent's {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer}.
 */
record AvroSerdeConfig(
    String registryUrl,
    String basicUserInfo,
    boolean autoRegister,
    boolean specificReader,
    SubjectNameStrategy subjectNames,
    Duration timeout) {

  static final String REGISTRY_URL = "schema.registry.url";
  static final String AUTO_REGISTER = "auto.register.schemas";
  static final String SPECIFIC_READER = "specific.avro.reader";
  static final String USE_LATEST = "use.latest.version";
  static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  static final String USER_INFO = "basic.auth.user.info";
  static final String TIMEOUT_MS = "schema.registry.request.timeout.ms";

  static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
    String urls = string(configs, REGISTRY_URL, null);
    if (urls == null || urls.isBlank()) {
      throw new ConfigException(REGISTRY_URL + " is required: the URL of a registry speaking the Confluent REST API, "
          + "e.g. http://localhost:8081/apis/ccompat/v7 for the local stack");
    }
    String url = urls.split(",")[0].trim();
    if (bool(configs, USE_LATEST, false)) {
      throw new ConfigException(USE_LATEST + "=true is not supported by " + AvroSerializer.class.getName()
          + "; configure Confluent's KafkaAvroSerializer to write with the subject's latest schema");
    }
    String userInfo = null;
    String source = string(configs, CREDENTIALS_SOURCE, "URL");
    if ("USER_INFO".equalsIgnoreCase(source)) {
      userInfo = string(configs, USER_INFO, null);
    } else {
      URI uri = URI.create(url);
      if (uri.getUserInfo() != null) {
        userInfo = uri.getUserInfo();
        url = url.replace(uri.getUserInfo() + "@", "");
      }
    }
    String strategyKey = isKey ? "key.subject.name.strategy" : "value.subject.name.strategy";
    return new AvroSerdeConfig(url, userInfo,
        bool(configs, AUTO_REGISTER, true),
        bool(configs, SPECIFIC_READER, false),
        SubjectNameStrategy.from(string(configs, strategyKey, null), isKey),
        Duration.ofMillis(Long.parseLong(string(configs, TIMEOUT_MS, "10000"))));
  }

  SchemaRegistryClient newClient() {
    return new SchemaRegistryClient(registryUrl, basicUserInfo, timeout);
  }

  private static String string(Map<String, ?> configs, String key, String fallback) {
    Object v = configs.get(key);
    if (v == null) {
      return fallback;
    }
    return v instanceof Class<?> c ? c.getName() : v.toString();
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
    Object v = configs.get(key);
    return v == null ? fallback : Boolean.parseBoolean(v.toString());
  }
}
