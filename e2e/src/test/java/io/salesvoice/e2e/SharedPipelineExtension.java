package io.salesvoice.e2e;

import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives the whole-pipeline tests one running {@link Pipeline} per test JVM, on the shared local stack: starting nine
 * JVMs takes minutes on a small CI machine, so the campaign test and the crash test share them. Stopped when the run ends.
 */
final class SharedPipelineExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Pipeline.class || type == KafkaStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KafkaStack stack = LocalStackExtension.shared(context);
    if (parameter.getParameter().getType() == KafkaStack.class) {
      return stack;
    }
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedPipelineExtension.class));
    return store.getOrComputeIfAbsent("pipeline", key -> new Resource(start(stack)), Resource.class).pipeline;
  }

  private static Pipeline start(KafkaStack stack) {
    try {
      Pipeline p = Pipeline.start(stack.bootstrapServers(), stack.schemaRegistryUrl(), Path.of("target", "e2e-logs"));
      try {
        p.awaitReady(Duration.ofMinutes(6));
      } catch (RuntimeException | InterruptedException e) {
        p.close();
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Resource(Pipeline pipeline) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      pipeline.close();
    }
  }
}
