package io.salesvoice.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the figures of the fault scenarios of one run in {@code target/faults/<scenario>.json} and renders them as the
 * Markdown table of docs/benchmarks.md ({@code target/faults/faults.md}), which {@code bench/sections/faults.sh}
 * prints.
 */
final class FaultReport {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final List<FaultRun.Figures> rows = new ArrayList<>();

  FaultReport(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  void add(FaultRun.Figures figures) throws IOException {
    rows.add(figures);
    JSON.writeValue(dir.resolve(figures.scenario() + ".json").toFile(), figures);
    Files.writeString(dir.resolve("faults.md"), markdown());
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("| scenario | fault | calls | calls affected | records lost | duplicates | time to recover |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (FaultRun.Figures f : rows) {
      md.append("| ").append(f.scenario()).append(" | ").append(f.fault()).append(" | ").append(f.calls())
          .append(" | ").append(f.callsAffected()).append(" | **").append(f.lost()).append("** | **")
          .append(f.duplicates()).append("** | ").append(f.recovery().toSeconds()).append(" s: ")
          .append(f.recoveredHow()).append(" |\n");
    }
    List<String> details = new ArrayList<>();
    for (FaultRun.Figures f : rows) {
      if (!f.campaignFinished()) {
        details.add("- " + f.scenario() + ": the campaign did not finish in time");
      }
      f.findings().forEach(x -> details.add("- " + f.scenario() + ": " + x));
      if (f.notes() != null && !f.notes().isBlank()) {
        details.add("- " + f.scenario() + ": " + f.notes());
      }
    }
    if (!details.isEmpty()) {
      md.append("\n");
      details.forEach(d -> md.append(d).append('\n'));
    }
    return md.toString();
  }
}
