package io.salesvoice.platform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.salesvoice.platform.topics.TopicSpec;
import io.salesvoice.platform.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps docker-compose.yml, k8s/ and the Grafana dashboard valid against their schemas and truthful to the code:
 * the workers, their ports, the topic catalogue and the metric names.
 */
class DeploymentManifestsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path VALIDATOR_DIR = Path.of("src/test/node").toAbsolutePath();
  private static final List<String> WORKERS =
      List.of("ingest-audio", "stt-worker", "dialog-worker", "tts-worker", "crm-sink", "analytics-stream", "dialer",
          "telephony");
  private static final Pattern HTTP_PORT = Pattern.compile("\\$\\{SVA_HTTP_PORT:(\\d+)}");
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void composeFileFollowsTheComposeSpecificationAndRunsEveryWorkerOnItsPort() throws Exception {
    Validation v = validate("compose", ROOT.resolve("docker-compose.yml"));
    assertThat(v.exitCode()).as("compose validation: %s", v.output()).isZero();

    JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).path("services");
    String scrapeConfig = Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"));
    for (String worker : WORKERS) {
      int port = defaultPort(worker);
      JsonNode service = services.path(worker);
      assertThat(service.isMissingNode()).as("service %s", worker).isFalse();
      assertThat(service.path("build").path("args").path("MODULE").asText()).isEqualTo(worker);
      assertThat(service.path("environment").path("SVA_HTTP_PORT").asInt()).as("%s port", worker).isEqualTo(port);
      assertThat(scrapeConfig).as("Prometheus scrapes %s", worker).contains(worker + ":" + port);
    }
    assertThat(services.has("prometheus")).isTrue();
    assertThat(services.has("grafana")).isTrue();
    // Workers export spans over OTLP/HTTP to the collector, which forwards them to Jaeger.
    // (Jackson does not apply YAML merge keys: the shared worker environment is read from its anchor, x-worker.)
    String endpoint = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile())
        .path("x-worker").path("environment").path("MANAGEMENT_OTLP_TRACING_ENDPOINT").asText();
    assertThat(endpoint).startsWith("http://otel-collector:4318/");
    assertThat(Files.readString(ROOT.resolve("deploy/otel/collector.yaml"))).contains("0.0.0.0:4318").contains("jaeger:4317");
    assertThat(services.has("jaeger")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
  void everyKustomizationRendersToManifestsValidAgainstTheirSchemas(String dir, @TempDir Path tmp) throws Exception {
    Path rendered = render(dir, tmp);
    Validation v = validate("k8s", rendered);
    assertThat(v.exitCode()).as("validation of %s: %s", dir, v.output()).isZero();

    List<JsonNode> docs = documents(rendered);
    for (String worker : WORKERS) {
      JsonNode deployment = find(docs, "Deployment", worker);
      JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
      assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/actuator/health/readiness");
      assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/actuator/health/liveness");
      assertThat(container.path("resources").path("requests").path("cpu").isMissingNode()).as(worker).isFalse();
      assertThat(container.path("ports").get(0).path("containerPort").asInt()).as(worker).isEqualTo(defaultPort(worker));
      assertThat(find(docs, "PodDisruptionBudget", worker)).as("PDB of %s", worker).isNotNull();
      if (worker.equals("dialer")) {
        continue;   // owns whole campaigns: not scaled on lag
      }
      JsonNode trigger = find(docs, "ScaledObject", worker).path("spec").path("triggers").get(0);
      assertThat(trigger.path("type").asText()).as("%s scales on", worker)
          .isEqualTo(worker.equals("ingest-audio") ? "prometheus" : "kafka");
      if (trigger.path("type").asText().equals("kafka")) {
        assertThat(Topics.find(trigger.path("metadata").path("topic").asText())).as("%s lag topic", worker).isPresent();
      }
    }
  }

  @Test
  void theKafkaTopicResourcesAreTheTopicCatalogue(@TempDir Path tmp) throws Exception {
    Map<String, String> deployed = new HashMap<>();
    for (JsonNode doc : documents(render("k8s/base", tmp))) {
      if (doc.path("kind").asText().equals("KafkaTopic")) {
        JsonNode spec = doc.path("spec");
        deployed.put(spec.path("topicName").asText(), spec.path("partitions").asInt() + " "
            + spec.path("config").path("cleanup.policy").asText() + " " + spec.path("config").path("retention.ms").asText());
      }
    }
    Map<String, String> catalogue = Topics.ALL.stream().collect(Collectors.toMap(TopicSpec::name,
        t -> t.partitions() + " " + t.config().get("cleanup.policy") + " " + t.config().get("retention.ms")));
    assertThat(deployed).isEqualTo(catalogue);
  }

  @Test
  void theValidatorRejectsABrokenManifest(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("broken.yaml");
    Files.writeString(broken, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: broken
        spec:
          selector: {}
          template:
            spec:
              containers:
                - name: app
                  ports:
                    - containerPort: eighty
        """);
    Validation v = validate("k8s", broken);
    assertThat(v.exitCode()).isEqualTo(1);
    assertThat(v.output()).contains("Deployment/broken").contains("containerPort");
  }

  @Test
  void theDashboardQueriesOnlyMetricsThatExistAndTheProvisionedDataSource() throws Exception {
    JsonNode dashboard = JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/sales-voice-assistant.json").toFile());
    String datasourceUid = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml").toFile())
        .path("datasources").get(0).path("uid").asText();
    Set<String> defined = meterNamesInCode();
    assertThat(defined).contains("sva_stage_processing");

    Pattern metric = Pattern.compile("\\bsva_[a-z0-9_]+");
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries++;
        assertThat(target.path("datasource").path("uid").asText()).isEqualTo(datasourceUid);
        Matcher m = metric.matcher(target.path("expr").asText());
        while (m.find()) {
          String base = m.group().replaceFirst("(_seconds)?(_bucket|_count|_sum|_max|_total)?$", "");
          assertThat(defined).as("metric %s in panel '%s'", m.group(), panel.path("title").asText()).contains(base);
        }
      }
    }
    assertThat(queries).isPositive();
  }

  /** Names of every meter the code registers ({@code "sva.stage.processing"} → {@code sva_stage_processing}). */
  private static Set<String> meterNamesInCode() throws IOException {
    Pattern name = Pattern.compile("\"(sva\\.[a-z0-9_.]+)\"");
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList()) {
        Matcher m = name.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group(1).replace('.', '_'));
        }
      }
    }
    return names;
  }

  private static int defaultPort(String worker) throws IOException {
    Matcher m = HTTP_PORT.matcher(Files.readString(ROOT.resolve(worker).resolve("src/main/resources/application.yml")));
    assertThat(m.find()).as("%s/application.yml sets server.port from SVA_HTTP_PORT", worker).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static JsonNode find(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  private static List<JsonNode> documents(Path yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(
        new YAMLFactory().createParser(yaml.toFile()))) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static Path render(String dir, Path tmp) throws Exception {
    Path out = tmp.resolve(dir.replace('/', '-') + ".yaml");
    Validation v = run(List.of("kubectl", "kustomize", ROOT.resolve(dir).toString()), out);
    assertThat(v.exitCode()).as("kubectl kustomize %s (kubectl is needed: .ci/run installs it): %s", dir, v.output())
        .isZero();
    return out;
  }

  private static Validation validate(String mode, Path file) throws Exception {
    assertThat(VALIDATOR_DIR.resolve("node_modules/kubernetes-models")).as(
        "the validator's packages are missing: run 'npm ci --ignore-scripts' in %s (the build does it)", VALIDATOR_DIR)
        .exists();
    return run(List.of("node", VALIDATOR_DIR.resolve("validate-manifests.mjs").toString(), mode, file.toString()), null);
  }

  private static Validation run(List<String> command, Path stdoutTo) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(VALIDATOR_DIR.toFile());
    Path out = stdoutTo != null ? stdoutTo : Files.createTempFile("manifests", ".out");
    Path err = Files.createTempFile("manifests", ".err");
    Process p;
    try {
      p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 120 s");
    }
    String output = (stdoutTo != null ? "" : Files.readString(out, StandardCharsets.UTF_8))
        + Files.readString(err, StandardCharsets.UTF_8);
    return new Validation(p.exitValue(), output);
  }

  private record Validation(int exitCode, String output) {
  }
}
