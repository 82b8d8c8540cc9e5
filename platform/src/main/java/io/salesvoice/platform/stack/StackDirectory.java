package io.salesvoice.platform.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds where the build unpacked the local stack's registry server, from any module's working directory. */
public final class StackDirectory {

  static final String PROPERTY = "sva.stack.dir";

  private StackDirectory() {
  }

  public static Path locate() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    // Run from an IDE or a module directory without Maven's property: walk up to the repository root.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("platform/target/local-stack");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new LocalStackException("cannot find platform/target/local-stack; set -D" + PROPERTY
        + " or build the platform module first (./mvnw -q -pl platform -am package -DskipTests)");
  }
}
