package io.salesvoice.dialog.stage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.dialog.engine.DialogEngine;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.transcript.Transcript;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * sva.transcripts + sva.calls → sva.dialog.turns, sva.crm.commands, sva.dialog.state; key callId; at-least-once
 * (offsets committed after the outputs are acknowledged); records that cannot be processed → {@code <topic>.dlq}.
 *
 * <p>Calls of one partition run in parallel, each call in order. The partitions of the two input topics are assigned
 * together ({@link RangeAssignor}: equal partition counts give every instance the same partition numbers of both), and
 * on assignment the instance restores those partitions of the compacted state topic before the first record is
 * processed: a call whose instance died goes on where it stood on the next one.
 */
public final class DialogStage {

  public static final String NAME = "dialog-worker";

  private final Stage<Object> stage;
  private final CallSessions sessions;
  private final StateRestorer restorer;
  private final DialogTopics topics;

  public DialogStage(KafkaSettings settings, RecordSender sender, MeterRegistry meters, DialogTopics topics,
                     DialogEngine engine, ScriptEngine script, Clock clock, Settings stageSettings) {
    this.topics = topics;
    this.sessions = new CallSessions();
    this.restorer = new StateRestorer(settings, topics.state(), stageSettings.restoreTimeout());
    DialogProcessor processor = new DialogProcessor(engine, script, sessions, topics, new CrmCommands(clock.getZone()),
        meters, clock, stageSettings.callStartWait());
    Gauge.builder("sva.dialog.live_calls", sessions, CallSessions::size)
        .description("Calls this instance holds the state of").register(meters);
    KafkaSettings coPartitioned = settings.withProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        RangeAssignor.class.getName());
    this.stage = Stage.builder(stageSettings.groupId(), Object.class)
        .consume(topics.calls(), topics.transcripts())
        .expectKey(DialogStage::callIdOf)
        .process(processor::process)
        .concurrencyPerPartition(stageSettings.concurrencyPerPartition())
        .onPartitionsAssigned(this::restore)
        .onPartitionsRevoked(this::forget)
        .kafka(coPartitioned, sender)
        .metrics(meters)
        .backoff(stageSettings.minBackoff(), stageSettings.maxBackoff())
        .build();
  }

  /** What the stage needs besides the Kafka plumbing. */
  public record Settings(String groupId, int concurrencyPerPartition, Duration callStartWait, Duration restoreTimeout,
                         Duration minBackoff, Duration maxBackoff) {
  }

  public Disposable start() {
    return stage.start();
  }

  /** The stage as a flux of outcomes, for tests that want to watch. */
  public Flux<Stage.Outcome> run() {
    return stage.run();
  }

  /** Runs on the consumer's thread, before the assigned partitions are polled: no record sees a missing state. */
  private void restore(Collection<TopicPartition> assigned) {
    Set<Integer> partitions = partitionsOf(assigned);
    partitions.removeIf(sessions::isRestored);
    restorer.restore(partitions).forEach((callId, restored) -> {
      if (restored.state().getEnded()) {
        sessions.end(callId, restored.partition());
      } else {
        sessions.put(callId, DialogStates.fromRecord(restored.state(), restored.partition()));
      }
    });
    partitions.forEach(sessions::markRestored);
  }

  private void forget(Collection<TopicPartition> revoked) {
    sessions.drop(partitionsOf(revoked));
  }

  private Set<Integer> partitionsOf(Collection<TopicPartition> tps) {
    Set<Integer> partitions = new TreeSet<>();
    for (TopicPartition tp : tps) {
      if (tp.topic().equals(topics.transcripts()) || tp.topic().equals(topics.calls())) {
        partitions.add(tp.partition());
      }
    }
    return partitions;
  }

  private static String callIdOf(Object value) {
    if (value instanceof Transcript t) {
      return t.getCallId();
    }
    if (value instanceof CallEvent e) {
      return e.getCallId();
    }
    return null;
  }
}
