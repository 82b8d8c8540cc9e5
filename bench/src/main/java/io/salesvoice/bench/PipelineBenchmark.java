package io.salesvoice.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.stack.EmbeddedStack;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.stack.StackDirectory;
import io.salesvoice.schema.transcript.Transcript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Load driver for the platform's stage runner on the real local stack (KRaft broker + registry): records go into a
 * topic, through a stage (decode, process, send, commit after the send is acknowledged), and out of the next topic.
 * Reports throughput and record latency (producedAt → read from the output topic) percentiles.
 *
 * <p>Usage: {@code PipelineBenchmark <results.json> [records] [paced rate per second]}
 */
public final class PipelineBenchmark {

  private PipelineBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/target/pipeline.json");
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int pacedRate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    List<String> lines = new ArrayList<>();
    try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Settings.forTests(StackDirectory.locate()));
         StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings())) {
      String in = clients.createTopicWithDeadLetters("bench-in", 12);
      String out = clients.createTopicWithDeadLetters("bench-out", 12);
      Disposable stage = Stage.builder("bench", Transcript.class)
          .consume(in)
          .expectKey(Transcript::getCallId)
          .process(r -> Flux.just(r.reply(out, r.value())))
          .kafka(clients.settings(), sender)
          .metrics(new SimpleMeterRegistry())
          .concurrencyPerPartition(Integer.getInteger("bench.concurrency", 8))
          .build()
          .start();
      // Warm-up: connections, schema registration, JIT.
      run(clients, in, out, 2_000, 0, "warm-up");
      lines.add(run(clients, in, out, records / 4, pacedRate, "paced " + pacedRate + " records/s"));
      lines.add(run(clients, in, out, records, 0, "burst (as fast as the producer sends)"));
      stage.dispose();
    }
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, "[\n" + String.join(",\n", lines) + "\n]\n");
    System.out.println("pipeline results written to " + results);
  }

  private static String run(StackClients clients, String in, String out, int count, int ratePerSecond, String name)
      throws Exception {
    Map<String, Object> consumerConfig = new HashMap<>(clients.settings().serdeConfig());
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clients.settings().bootstrapServers());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + System.nanoTime());
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, clients.settings().valueDeserializer());
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>(count));
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig);
         KafkaProducer<String, Object> producer = new KafkaProducer<>(clients.settings().producerConfig())) {
      consumer.subscribe(List.of(out));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);

      long start = System.nanoTime();
      Thread producing = new Thread(() -> {
        for (int i = 0; i < count; i++) {
          if (ratePerSecond > 0) {
            long due = start + TimeUnit.SECONDS.toNanos(1) * i / ratePerSecond;
            while (System.nanoTime() < due) {
              Thread.onSpinWait();
            }
          }
          String callId = "call-" + (i % 200);
          producer.send(new ProducerRecord<>(in, callId, transcript(callId, i)));
        }
        producer.flush();
      }, "bench-producer");
      producing.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (latencies.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
          Transcript t = (Transcript) r.value();
          latencies.add(Duration.between(t.getProducedAt(), Instant.now()).toNanos());
        }
      }
      long elapsed = System.nanoTime() - start;
      producing.join();
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      String line = String.format(Locale.ROOT,
          "  {\"run\": \"%s\", \"records\": %d, \"received\": %d, \"throughputPerSecond\": %.0f, "
              + "\"latencyMs\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f}}",
          name, count, sorted.size(), sorted.size() / (elapsed / 1e9),
          percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), percentile(sorted, 1.0));
      System.out.println(line.trim());
      return line;
    }
  }

  private static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  private static Transcript transcript(String callId, int i) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(callId + "-u" + i).setText("benchmark utterance " + i)
        .setIsFinal(true).setLanguage("en-US").setConfidence(0.9f).setStartMs(i * 20L).setEndMs(i * 20L + 20)
        .setEngine("bench").setProducedAt(Instant.now()).build();
  }
}
