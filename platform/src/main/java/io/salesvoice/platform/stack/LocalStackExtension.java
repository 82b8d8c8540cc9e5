package io.salesvoice.platform.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one real Kafka broker and schema registry per test JVM, shared by every test class that uses it and
 * stopped when the run ends. {@code -Dsva.kafka=testcontainers} runs the same tests on Docker containers instead.
 */
public final class LocalStackExtension implements ParameterResolver {

  static final String MODE_PROPERTY = "sva.kafka";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The stack of this test run, started on first use. */
  public static KafkaStack shared(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(LocalStackExtension.class));
    return store.getOrComputeIfAbsent("stack", key -> new Resource(startStack()), Resource.class).stack;
  }

  private static KafkaStack startStack() {
    String mode = System.getProperty(MODE_PROPERTY, "embedded");
    return switch (mode) {
      case "", "embedded" -> EmbeddedStack.start(EmbeddedStack.Settings.forTests(StackDirectory.locate()));
      case "testcontainers" -> TestcontainersStack.start();
      default -> throw new LocalStackException("unknown -D" + MODE_PROPERTY + "=" + mode + ": use embedded or testcontainers");
    };
  }

  private record Resource(KafkaStack stack) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stack.close();
    }
  }
}
