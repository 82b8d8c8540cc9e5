package io.salesvoice.platform.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tally of one bad-input suite — how many inputs were tried, what became of them per case, which were mishandled
 * — written as JSON to {@code target/badinput/<suite>.json} of the module, where {@code bench/sections/badinput.sh}
 * collects it. For tests and benchmarks only.
 */
public final class BadInputReport {

  /** The directory, relative to a module, the suites write to. */
  public static final Path DIRECTORY = Path.of("target", "badinput");
  private static final int KEPT_EXAMPLES = 20;

  private final String suite;
  private final String description;
  private final Map<String, Map<String, Integer>> byCase = new TreeMap<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> mishandled = new ArrayList<>();
  private int tried;
  private int mishandledCount;

  public BadInputReport(String suite, String description) {
    this.suite = suite;
    this.description = description;
  }

  /** One input of kind {@code kind} was tried and ended as {@code outcome} (e.g. "dead-lettered", "close 1007"). */
  public synchronized void handled(String kind, String outcome) {
    tried++;
    outcomes.merge(outcome, 1, Integer::sum);
    byCase.computeIfAbsent(kind, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
  }

  /** One input of kind {@code kind} was tried and mishandled: a 5xx, a hang, a stalled consumer, a missing reason. */
  public synchronized void mishandled(String kind, String what) {
    tried++;
    mishandledCount++;
    outcomes.merge("MISHANDLED", 1, Integer::sum);
    byCase.computeIfAbsent(kind, k -> new TreeMap<>()).merge("MISHANDLED", 1, Integer::sum);
    if (mishandled.size() < KEPT_EXAMPLES) {
      mishandled.add(kind + ": " + what);
    }
  }

  public synchronized int tried() {
    return tried;
  }

  public synchronized int mishandledCount() {
    return mishandledCount;
  }

  /** The first mishandled cases, for an assertion message. */
  public synchronized List<String> mishandledExamples() {
    return List.copyOf(mishandled);
  }

  /** Writes {@code target/badinput/<suite>.json} under the working directory (the module, under Maven). */
  public synchronized Path write() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("suite", suite);
    json.put("description", description);
    json.put("tried", tried);
    json.put("mishandled", mishandledCount);
    json.put("outcomes", outcomes);
    json.put("byCase", byCase);
    json.put("mishandledExamples", mishandled);
    json.put("properties", Map.of(
        PoisonRecords.MUTATIONS_PROPERTY, String.valueOf(System.getProperty(PoisonRecords.MUTATIONS_PROPERTY)),
        PoisonRecords.SEED_PROPERTY, String.valueOf(PoisonRecords.seed())));
    try {
      Files.createDirectories(DIRECTORY);
      Path file = DIRECTORY.resolve(suite + ".json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized String toString() {
    return suite + ": tried " + tried + ", mishandled " + mishandledCount + " " + outcomes
        + (mishandled.isEmpty() ? "" : " e.g. " + mishandled);
  }
}
