package io.salesvoice.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Parses a directory of .avsc files the way the build does: shared named types first, then the records that use them. */
final class SchemaFiles {

  /** Files other schemas refer to by name; the avro-maven-plugin imports them first, in this order. */
  static final List<String> SHARED_TYPES = List.of("audio/AudioCodec.avsc", "audio/Channel.avsc", "call/CallDirection.avsc");

  static final Path CURRENT = Path.of("src/main/avro");
  static final Path RELEASED = Path.of("src/released");

  private SchemaFiles() {
  }

  /** Every schema in {@code root}, by file path relative to it (e.g. {@code call/CallEvent.avsc}). */
  static Map<String, Schema> parse(Path root) {
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> parsed = new LinkedHashMap<>();
    for (String shared : SHARED_TYPES) {
      parsed.put(shared, parse(parser, root.resolve(shared)));
    }
    for (Path file : avscFiles(root)) {
      String relative = root.relativize(file).toString().replace('\\', '/');
      if (!parsed.containsKey(relative)) {
        parsed.put(relative, parse(parser, file));
      }
    }
    return parsed;
  }

  /** The newest released version directory, by semantic version order. */
  static Path latestRelease() {
    try (Stream<Path> versions = Files.list(RELEASED)) {
      return versions.filter(Files::isDirectory)
          .max(Comparator.comparing(p -> versionKey(p.getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no released schema version under " + RELEASED.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String versionKey(String version) {
    StringBuilder key = new StringBuilder();
    for (String part : version.split("\\.")) {
      key.append(String.format("%08d", Integer.parseInt(part)));
    }
    return key.toString();
  }

  private static List<Path> avscFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return new ArrayList<>(files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema parse(Schema.Parser parser, Path file) {
    try {
      return parser.parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
