package io.salesvoice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders the tallies the bad-input suites wrote ({@code <module>/target/badinput/*.json}) as the "Bad input" section
 * of docs/benchmarks.md: inputs tried per suite, what became of them, and how many were mishandled (must be 0).
 *
 * <p>Usage: {@code BadInputSection <tally.json>...}; prints Markdown on standard output.
 */
public final class BadInputSection {

  private BadInputSection() {
  }

  public static void main(String[] args) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> suites = new ArrayList<>();
    for (String a : args) {
      suites.add(json.readTree(Path.of(a).toFile()));
    }
    long tried = 0;
    long mishandled = 0;
    StringBuilder rows = new StringBuilder();
    StringBuilder cases = new StringBuilder();
    for (JsonNode s : suites) {
      tried += s.get("tried").asLong();
      mishandled += s.get("mishandled").asLong();
      rows.append("| ").append(s.get("suite").asText()).append(" | ").append(s.get("description").asText())
          .append(" | ").append(s.get("tried").asLong()).append(" | ").append(outcomes(s.get("outcomes")))
          .append(" | **").append(s.get("mishandled").asLong()).append("** |\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = s.get("byCase").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> c = it.next();
        cases.append("| ").append(s.get("suite").asText()).append(" | ").append(c.getKey().replace("|", "\\|"))
            .append(" | ").append(outcomes(c.getValue())).append(" |\n");
      }
      for (JsonNode example : s.get("mishandledExamples")) {
        cases.append("| ").append(s.get("suite").asText()).append(" | MISHANDLED | ")
            .append(example.asText().replace("|", "\\|").replace("\n", " ")).append(" |\n");
      }
    }
    System.out.println("| suite | inputs | tried | outcomes | mishandled |");
    System.out.println("| --- | --- | ---: | --- | ---: |");
    System.out.print(rows);
    System.out.println("| **all** | | **" + tried + "** | | **" + mishandled + "** |");
    System.out.println();
    System.out.println("<details><summary>By case</summary>");
    System.out.println();
    System.out.println("| suite | case | outcomes |");
    System.out.println("| --- | --- | --- |");
    System.out.print(cases);
    System.out.println();
    System.out.println("</details>");
  }

  private static String outcomes(JsonNode counts) {
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      parts.add(e.getKey() + " " + e.getValue().asLong());
    }
    return String.join(", ", parts);
  }
}
