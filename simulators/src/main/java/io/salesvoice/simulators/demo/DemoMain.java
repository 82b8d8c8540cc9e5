package io.salesvoice.simulators.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code ./sva demo}: runs {@link DemoCampaign} against the local pipeline, prints the summary and writes it as JSON.
 * Environment: {@code SVA_DIALER_API_KEY} (required), {@code SVA_DEMO_LEADS} (10), {@code SVA_DEMO_CONCURRENCY} (3),
 * {@code SVA_DEMO_SUMMARY} (where the JSON goes, default .sva/demo-summary.json).
 */
public final class DemoMain {

  private DemoMain() {
  }

  public static void main(String[] args) throws Exception {
    String key = System.getenv("SVA_DIALER_API_KEY");
    if (key == null || key.isBlank()) {
      System.err.println("SVA_DIALER_API_KEY is not set: the demo needs the dialer's API key (./sva demo sets it)");
      System.exit(2);
    }
    int leads = Integer.parseInt(System.getenv().getOrDefault("SVA_DEMO_LEADS", "10"));
    int concurrency = Integer.parseInt(System.getenv().getOrDefault("SVA_DEMO_CONCURRENCY", "3"));
    String id = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    DemoCampaign.Result result = new DemoCampaign(DemoCampaign.Settings.local(key, id, leads, concurrency))
        .run(System.err);
    System.out.print(DemoSummary.format(result));
    Path json = Path.of(System.getenv().getOrDefault("SVA_DEMO_SUMMARY", ".sva/demo-summary.json"));
    Files.createDirectories(json.toAbsolutePath().getParent());
    new ObjectMapper().registerModule(new JavaTimeModule()).enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), result);
    System.out.println("  Summary as JSON: " + json);
    System.exit(result.finished() ? 0 : 1);
  }
}
