package io.salesvoice.crm;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static io.salesvoice.crm.domain.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.crm.bitrix.Bitrix24Clients;
import io.salesvoice.crm.bitrix.CoalescingBitrix24;
import io.salesvoice.crm.bitrix.WebClientBitrix24;
import io.salesvoice.crm.domain.CommandHandler;
import io.salesvoice.crm.domain.Commands;
import io.salesvoice.crm.domain.CrmWriter;
import io.salesvoice.crm.ledger.KafkaLedger;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/**
 * Sustained commands per second against the local portal with Bitrix24's real limit enforced (50 burst, 2 requests/s,
 * the counter full when the sink's first request arrives, so no burst helps), the share of the theoretical maximum
 * reached, and how full the requests were. Not part of the build: run it with
 * {@code ./mvnw -B -ntp -o -pl crm-sink -am test -Dtest=CrmSinkBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * {@code -Dsva.bench.commands=N} changes the load, {@code -Dsva.bench.concurrency=N} the commands in flight per
 * partition, {@code -Dsva.bench.answerDelayMs=N} the portal's answer time, {@code -Dsva.bench.maxInFlight=N} the
 * requests out at once. Results go to {@code crm-sink/docs/benchmarks.md} by hand.
 */
@ExtendWith(LocalStackExtension.class)
class CrmSinkBenchmark {

  private final KafkaStack stack;

  CrmSinkBenchmark(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void sustainedUpsertsAgainstTheRealLimit() throws Exception {
    int n = Integer.getInteger("sva.bench.commands", 1500);
    int partitions = 6;
    int perPartition = Integer.getInteger("sva.bench.concurrency",
        Integer.parseInt(CrmProperties.DEFAULT_CONCURRENCY_PER_PARTITION));
    long answerDelayMs = Long.getLong("sva.bench.answerDelayMs", 0);
    int maxBatch = 50;
    int maxInFlight = Integer.getInteger("sva.bench.maxInFlight", 2);
    try (StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings());
         SimulatedBitrix24 fake = new SimulatedBitrix24(50, 2)) {
      fake.answerDelay(Duration.ofMillis(answerDelayMs));
      CrmSinkStage.CrmTopics topics = new CrmSinkStage.CrmTopics(
          clients.createTopicWithDeadLetters("bench-commands", partitions),
          clients.createTopicWithDeadLetters("bench-results", partitions),
          clients.createTopicWithDeadLetters("bench-applied", partitions));
      for (int i = 0; i < n; i++) {
        String call = "bench-" + i;
        clients.send(topics.commands(), call, command(call, call + ":lead",
            Commands.lead(String.format(Locale.ROOT, "+7900%07d", i), "Lead " + i)));
      }

      KafkaLedger ledger = new KafkaLedger(clients.settings(), topics.applied(), sender);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      WebClientBitrix24 b24 = Bitrix24Clients.client(fake.webhookUrl(), Bitrix24Clients.limits(50, 2, 4), meters);
      CoalescingBitrix24 portal = new CoalescingBitrix24(b24, maxBatch, maxInFlight, meters);
      CommandHandler handler = new CommandHandler(ledger, new CrmWriter(new CrmWriter.Settings(1, "UF_CRM_DNC"), ledger),
          name -> portal, Clock.systemUTC());
      fake.fillBucketOnFirstRequest();
      long started = System.nanoTime();
      Disposable stage = new CrmSinkStage(topics, handler, sender, new SimpleMeterRegistry())
          .build(clients.settings(), "bench-" + UUID.randomUUID(), perPartition, Duration.ofMillis(200),
              Duration.ofSeconds(2), ledger::catchUp)
          .start();
      try {
        List<CrmResult> results = clients.read(topics.results(), n, Duration.ofMinutes(10)).stream()
            .map(r -> (CrmResult) r.value()).toList();
        double seconds = (System.nanoTime() - started) / 1e9;
        long lastRequest = fake.requestTimesMillis.get(fake.requestTimesMillis.size() - 1);
        long firstRequest = fake.requestTimesMillis.get(0);
        double portalSeconds = (lastRequest - firstRequest) / 1000.0 + 0.5;
        double commandsPerSecond = n / portalSeconds;
        double callsPerCommand = 2;   // crm.duplicate.findbycomm, then crm.lead.add
        double theoretical = 2 * maxBatch / callsPerCommand;
        long requests = fake.requests.size();
        System.out.printf(Locale.ROOT, "%n| commands | concurrency per partition | answer delay (ms) "
                + "| requests in flight | requests | 503s | first→last request (s) | commands/s "
                + "| theoretical (2 req/s × %d calls ÷ %.0f calls/command) | share | lost | duplicated |%n"
                + "| %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.0f | %.0f%% | %d | %d |%n",
            maxBatch, callsPerCommand, n, perPartition, answerDelayMs, maxInFlight, requests, fake.limitAnswers.get(),
            portalSeconds, commandsPerSecond, theoretical, 100 * commandsPerSecond / theoretical, n - results.size(),
            fake.leads.size() - fake.leads.values().stream().map(l -> String.valueOf(l.get("PHONE")))
                .collect(Collectors.toSet()).size());
        List<Integer> fill = List.copyOf(fake.callsPerRequest);
        List<String> partial = new ArrayList<>();
        for (int i = 0; i < fill.size(); i++) {
          if (fill.get(i) < maxBatch) {
            partial.add("#" + (i + 1) + ":" + fill.get(i));
          }
        }
        Timer queued = meters.get("sva.crm.batch.queued").timer();
        System.out.printf(Locale.ROOT, "batch fill: %d admitted requests, %.1f calls each on average (%.0f%% of %d); "
                + "%d carried fewer than %d calls %s%n",
            fill.size(), fill.stream().mapToInt(Integer::intValue).average().orElse(0),
            100 * fill.stream().mapToInt(Integer::intValue).average().orElse(0) / maxBatch, maxBatch,
            partial.size(), maxBatch, partial);
        System.out.printf(Locale.ROOT, "a call waited for its request %.0f ms on average, %.0f ms at most%n",
            queued.mean(TimeUnit.MILLISECONDS), queued.max(TimeUnit.MILLISECONDS));
        System.out.printf(Locale.ROOT, "wall time including consumer start: %.1f s; load average: %s%n", seconds,
            loadAverage());
        assertThat(results).hasSize(n);
        assertThat(results).extracting(CrmResult::getStatus).containsOnly(CrmStatus.APPLIED);
        assertThat(results.stream().map(CrmResult::getIdempotencyKey).distinct().count()).isEqualTo(n);
        assertThat(fake.leads).hasSize(n);
      } finally {
        stage.dispose();
        ledger.close();
      }
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
