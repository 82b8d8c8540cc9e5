package io.salesvoice.dialog.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.stage.DialogStage;
import io.salesvoice.dialog.stage.DialogTopics;
import io.salesvoice.dialog.support.Records;
import io.salesvoice.dialog.support.TestKnowledge;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.dialog.DialogTurn;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/**
 * Final transcript in → first turn chunk out, with the script engine, 200 concurrent calls, on the in-process broker.
 * Latency = the first chunk's CreateTime minus the transcript's CreateTime (both stamped by their producers on this
 * machine). Not part of the normal build: {@code ./mvnw -pl dialog-worker verify -Dbenchmark}. Results go to
 * dialog-worker/docs/benchmarks.md.
 */
@Tag("benchmark")
@ExtendWith(LocalStackExtension.class)
class FirstChunkBenchmarkTest {

  private static final int CALLS = Integer.getInteger("bench.calls", 200);
  private static final int UTTERANCES = Integer.getInteger("bench.utterances", 4);
  private static final long PAUSE_MS = Long.getLong("bench.pauseMs", 1500);
  private static final boolean STAGGERED = Boolean.getBoolean("bench.staggered");
  private static final boolean WARM_UP = !"false".equals(System.getProperty("bench.warmUp"));
  private static final String[] SAID = {"да, удобно", "Компания Ромашка, у нас 10 менеджеров", "а сколько это стоит?",
      "давайте в пятницу", "часа в три", "ivan@romashka.ru"};

  private final KafkaStack stack;

  FirstChunkBenchmarkTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void firstChunkLatencyAt200ConcurrentCalls() throws Exception {
    try (StackClients clients = new StackClients(stack); RecordSender sender = RecordSender.create(clients.settings())) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      DialogTopics topics = new DialogTopics("b-transcripts-" + id, "b-calls-" + id, "b-turns-" + id, "b-crm-" + id,
          "b-state-" + id);
      clients.createTopics(12, topics.transcripts(), topics.calls(), topics.turns(), topics.crmCommands(),
          topics.state(), topics.transcripts() + ".dlq", topics.calls() + ".dlq");
      Clock clock = Clock.system(ZoneId.of("Europe/Moscow"));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      ScriptEngine script = new ScriptEngine(ScriptCatalog.builtIn(), TestKnowledge.shipped(), clock);
      Disposable stage = new DialogStage(clients.settings(), sender, meters, topics, script, script, clock,
          new DialogStage.Settings("bench-" + id, 64, Duration.ofSeconds(2), Duration.ofSeconds(60),
              Duration.ofMillis(100), Duration.ofSeconds(1))).start();

      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      Map<String, Long> firstChunkAt = new ConcurrentHashMap<>();
      Map<String, Long> producedAt = new ConcurrentHashMap<>();
      int conversations = (WARM_UP ? 2 : 1) * CALLS;
      Thread reader = new Thread(() -> read(clients, topics.turns(), firstChunkAt, producedAt,
          conversations * (UTTERANCES + 1)));
      reader.start();
      try (KafkaProducer<String, Object> producer = new KafkaProducer<>(clients.settings().producerConfig())) {
        if (WARM_UP) {
          // The same conversations once, unmeasured: a worker answers live calls warm (JIT, caches, connections).
          converse(producer, topics, id + "-warm", new ConcurrentHashMap<>());
        }
        converse(producer, topics, id, sentAt);
      }
      reader.join(120_000);
      stage.dispose();

      List<Long> latencies = new ArrayList<>();
      List<Long> untilProcessed = new ArrayList<>();
      sentAt.forEach((utterance, sent) -> {
        Long chunk = firstChunkAt.get(utterance);
        if (chunk != null) {
          latencies.add(chunk - sent);
          untilProcessed.add(producedAt.get(utterance) - sent);
        }
      });
      latencies.sort(Long::compare);
      untilProcessed.sort(Long::compare);
      System.out.printf("%nBENCHMARK split: transcript sent → chunk built (consume + queue + process) p50 %d ms, p99 %d ms%n",
          pct(untilProcessed, 0.5), pct(untilProcessed, 0.99));
      Timer inProcess = meters.find("sva.dialog.first_chunk").timer();
      System.out.printf("%nBENCHMARK first chunk, script engine, %d calls x %d utterances, %s%s: answered %d of %d;"
              + " end-to-end p50 %d ms, p99 %d ms, max %d ms; in-process (sva.dialog.first_chunk) %s%n%n",
          CALLS, UTTERANCES, STAGGERED ? "staggered" : "in bursts", WARM_UP ? ", after a warm-up" : "",
          latencies.size(), sentAt.size(), pct(latencies, 0.50), pct(latencies, 0.99),
          latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1), describe(inProcess));
      assertThat(latencies).hasSize(CALLS * UTTERANCES);
    }
  }

  /**
   * Starts {@link #CALLS} calls, then has every call speak {@link #UTTERANCES} times, {@link #PAUSE_MS} apart, like a
   * conversation. In bursts (the default) all calls speak at the same instant, the worst case; staggered, each call's
   * turn comes at its own moment within the pause, as independent callers do.
   */
  private static void converse(KafkaProducer<String, Object> producer, DialogTopics topics, String id,
                               Map<String, Long> sentAt) throws InterruptedException {
    List<String> calls = new ArrayList<>();
    for (int c = 0; c < CALLS; c++) {
      String call = "bench-" + id + "-" + c;
      calls.add(call);
      producer.send(new ProducerRecord<>(topics.calls(), call,
          Records.started(call, "ru-RU", "+7999000" + String.format("%04d", c), 0, Map.of("name", "Иван"))));
    }
    producer.flush();
    Thread.sleep(PAUSE_MS);
    long start = System.nanoTime();
    for (int u = 0; u < UTTERANCES; u++) {
      for (int c = 0; c < CALLS; c++) {
        if (STAGGERED) {
          long due = start + ((long) u * CALLS + c) * PAUSE_MS * 1_000_000L / CALLS;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        String call = calls.get(c);
        String utterance = call + "-u" + u;
        producer.send(new ProducerRecord<>(topics.transcripts(), call,
                Records.said(call, utterance, SAID[u % SAID.length], "ru-RU")),
            (md, e) -> {
              if (e == null) {
                sentAt.put(utterance, md.timestamp());
              }
            });
      }
      if (!STAGGERED) {
        producer.flush();
        Thread.sleep(PAUSE_MS);
      }
    }
    producer.flush();
    Thread.sleep(PAUSE_MS);
  }

  private static void read(StackClients clients, String topic, Map<String, Long> firstChunkAt,
                           Map<String, Long> producedAt, int turns) {
    Map<String, Object> config = new HashMap<>(clients.settings().consumerConfig("bench-reader-" + UUID.randomUUID()));
    config.putAll(clients.settings().serdeConfig());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, clients.settings().valueDeserializer());
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      int lastChunks = 0;
      while (lastChunks < turns && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
          DialogTurn t = (DialogTurn) r.value();
          if (t.getChunkIndex() == 0 && t.getInReplyTo() != null) {
            firstChunkAt.putIfAbsent(t.getInReplyTo(), r.timestamp());
            producedAt.putIfAbsent(t.getInReplyTo(), t.getProducedAt().toEpochMilli());
          }
          if (t.getLastChunk()) {
            lastChunks++;
          }
        }
      }
    }
  }

  private static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  private static String describe(Timer t) {
    if (t == null) {
      return "n/a";
    }
    StringBuilder b = new StringBuilder();
    for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
      b.append(String.format("p%.0f %.2f ms ", v.percentile() * 100, v.value(java.util.concurrent.TimeUnit.MILLISECONDS)));
    }
    return b.toString().trim();
  }
}
