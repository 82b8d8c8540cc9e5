package io.salesvoice.dialog.config;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.dialog.engine.DialogEngine;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.knowledge.KnowledgeBase;
import io.salesvoice.dialog.knowledge.KnowledgeDocument;
import io.salesvoice.dialog.knowledge.LuceneKnowledgeBase;
import io.salesvoice.dialog.llm.OpenAiDialogEngine;
import io.salesvoice.dialog.script.SalesScript;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.script.ScriptLoader;
import io.salesvoice.dialog.stage.DialogStage;
import io.salesvoice.dialog.stage.DialogTopics;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.logging.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import reactor.core.Disposable;

/** Wires the dialog stage: scripts, knowledge base, the engine chosen by {@code sva.dialog.engine}, the stage. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DialogProperties.class)
public class DialogConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DialogConfiguration.class);

  @Bean
  Clock dialogClock(DialogProperties p) {
    return Clock.system(ZoneId.of(p.timeZone()));
  }

  @Bean
  ScriptCatalog scriptCatalog(DialogProperties p) throws IOException {
    List<SalesScript> scripts = new ArrayList<>(ScriptCatalog.builtIn().all());
    ScriptLoader loader = new ScriptLoader();
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    for (String pattern : p.scripts()) {
      if (pattern.isBlank()) {
        continue;
      }
      for (Resource r : resolver.getResources(pattern)) {
        try (InputStream in = r.getInputStream()) {
          SalesScript s = loader.load(r.getDescription(), in);
          scripts.removeIf(existing -> existing.id().equals(s.id()));   // a campaign may replace a built-in script
          scripts.add(s);
        }
      }
    }
    ScriptCatalog catalog = new ScriptCatalog(scripts);
    log.info("Sales scripts: {}", catalog.all().stream().map(SalesScript::id).toList());
    return catalog;
  }

  @Bean
  KnowledgeBase knowledgeBase(DialogProperties p) throws IOException {
    List<KnowledgeDocument> docs = new ArrayList<>();
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    for (String pattern : p.knowledge()) {
      if (pattern.isBlank()) {
        continue;
      }
      for (Resource r : resolver.getResources(pattern)) {
        try (InputStream in = r.getInputStream()) {
          String path = r.getURL().toString();
          docs.add(KnowledgeDocument.fromPath(path, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
          log.warn("Skipping {}: {}", r.getDescription(), e.getMessage());
        }
      }
    }
    log.info("Knowledge base: {} files", docs.size());
    return LuceneKnowledgeBase.build(docs, p.knowledgeMinScore());
  }

  /** The embedded engine: the dialog engine by default, the LLM's fallback otherwise. */
  @Bean
  ScriptEngine scriptEngine(ScriptCatalog scripts, KnowledgeBase knowledge, Clock dialogClock) {
    return new ScriptEngine(scripts, knowledge, dialogClock);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "sva.dialog", name = "engine", havingValue = "llm")
  OpenAIClientAsync openAiClient(DialogProperties p, Environment env) {
    DialogProperties.Llm llm = p.llm();
    String key = llm.apiKey() != null ? llm.apiKey() : env.getProperty("OPENAI_API_KEY");
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("sva.dialog.engine=llm needs OPENAI_API_KEY (or sva.dialog.llm.api-key)");
    }
    log.info("LLM engine: model {} at {}", llm.model(), Redaction.maskUrl(llm.baseUrl()));
    return OpenAIOkHttpClientAsync.builder()
        .baseUrl(llm.baseUrl())
        .apiKey(key)
        .maxRetries(0)   // a retry would come too late for a phone call: the script's line is said instead
        .timeout(llm.turnTimeout().plusSeconds(2))
        .build();
  }

  /** Replaces the script engine as the one that talks; the script engine stays its fallback. */
  @Bean
  @Primary
  @ConditionalOnProperty(prefix = "sva.dialog", name = "engine", havingValue = "llm")
  DialogEngine llmDialogEngine(OpenAIClientAsync client, ScriptEngine script, KnowledgeBase knowledge,
                               Clock dialogClock, DialogProperties p) {
    DialogProperties.Llm llm = p.llm();
    return new OpenAiDialogEngine(client, script, knowledge, dialogClock, new OpenAiDialogEngine.Settings(
        llm.model(), llm.firstSentenceTimeout(), llm.turnTimeout(), llm.temperature(), llm.maxTokens()));
  }

  @Bean
  DialogStage dialogStage(KafkaSettings settings, RecordSender sender, MeterRegistry meters, DialogEngine engine,
                          ScriptEngine script, Clock dialogClock, DialogProperties p) {
    return new DialogStage(settings, sender, meters, DialogTopics.catalogue(), engine, script, dialogClock,
        new DialogStage.Settings(p.groupId(), p.concurrencyPerPartition(), p.callStartWait(), p.restoreTimeout(),
            Duration.ofMillis(500), Duration.ofSeconds(30)));
  }

  /** Starts consuming once the context is up (topics created), stops first on shutdown. */
  @Bean
  @ConditionalOnProperty(prefix = "sva.dialog", name = "autostart", havingValue = "true", matchIfMissing = true)
  SmartLifecycle dialogStageLifecycle(DialogStage stage) {
    return new SmartLifecycle() {
      private volatile Disposable running;

      @Override
      public void start() {
        running = stage.start();
      }

      @Override
      public void stop() {
        if (running != null) {
          running.dispose();
        }
        running = null;
      }

      @Override
      public boolean isRunning() {
        return running != null;
      }
    };
  }
}
