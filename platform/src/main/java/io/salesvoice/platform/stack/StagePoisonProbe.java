package io.salesvoice.platform.stack;

import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.schema.deadletter.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Puts poison records on a topic a {@link Stage} consumes and checks what became of each: dead-lettered to
 * {@code <topic>.dlq} with a reason that says what was wrong, or (for random mutations that still decode) processed;
 * and a valid record after them is still processed, so the partition did not stall. The tally goes into a
 * {@link BadInputReport}. For tests and benchmarks only.
 */
public final class StagePoisonProbe implements AutoCloseable {

  /** A poison on the broker: where it landed. */
  public record Sent(PoisonRecords.Poison poison, String topic, int partition, long offset) {
  }

  private final Map<String, Stage.Outcome> outcomes = new ConcurrentHashMap<>();
  private final Disposable subscription;

  private StagePoisonProbe(Flux<Stage.Outcome> run) {
    this.subscription = run.subscribe(o -> outcomes.put(id(o.topic(), o.partition(), o.offset()), o));
  }

  /** Runs the stage (subscribes its {@link Stage#run()} flux) and records every outcome until closed. */
  public static StagePoisonProbe watch(Flux<Stage.Outcome> run) {
    return new StagePoisonProbe(run);
  }

  /**
   * The whole check on one topic: a valid record (which must be processed, so the stage runs), every poison to the
   * same partition, another valid record (which must be processed: the consumer did not stop), then each poison's
   * fate. {@code validBefore} and {@code validAfter} are values keyed {@code key} that the stage accepts.
   */
  public void check(StackClients clients, String topic, String key, Object validBefore, Object validAfter,
                    List<PoisonRecords.Poison> poisons, BadInputReport report, Duration timeout) {
    RecordMetadata first = clients.send(topic, key, validBefore);
    Optional<Stage.Outcome> warm = await(topic, first.partition(), first.offset(), timeout);
    if (warm.isEmpty() || warm.get().result() != Stage.Result.PROCESSED) {
      throw new AssertionError("the stage did not process a valid record on " + topic + ": " + warm);
    }
    List<Sent> sent = new ArrayList<>();
    for (PoisonRecords.Poison p : poisons) {
      sent.add(send(clients, topic, first.partition(), p));
    }
    RecordMetadata after = clients.send(topic, key, validAfter);
    Optional<Stage.Outcome> last = await(topic, after.partition(), after.offset(), timeout);
    if (last.isEmpty() || last.get().result() != Stage.Result.PROCESSED) {
      report.mishandled("VALID_AFTER_POISON", "a valid record after the poison was not processed on " + topic + "-"
          + after.partition() + "@" + after.offset() + ": " + last.map(Object::toString).orElse("no outcome (stalled)"));
    }
    verify(clients, sent, timeout, report);
  }

  /** Sends one poison to {@code partition} of {@code topic}. */
  public Sent send(StackClients clients, String topic, int partition, PoisonRecords.Poison poison) {
    RecordMetadata md = clients.sendRaw(new ProducerRecord<>(topic, partition, poison.key(), poison.value()));
    return new Sent(poison, topic, md.partition(), md.offset());
  }

  /** The outcome of a record, once the stage emitted it. */
  public Optional<Stage.Outcome> await(String topic, int partition, long offset, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String id = id(topic, partition, offset);
    while (!outcomes.containsKey(id) && Instant.now().isBefore(deadline)) {
      sleep(20);
    }
    return Optional.ofNullable(outcomes.get(id));
  }

  /** Tallies what became of each sent poison: dead-lettered with a fitting reason, processed, or mishandled. */
  public void verify(StackClients clients, List<Sent> sent, Duration timeout, BadInputReport report) {
    Instant deadline = Instant.now().plus(timeout);
    Map<Sent, Stage.Outcome> fate = new HashMap<>();
    for (Sent s : sent) {
      Duration left = Duration.between(Instant.now(), deadline);
      await(s.topic(), s.partition(), s.offset(), left.isNegative() ? Duration.ZERO : left)
          .ifPresent(o -> fate.put(s, o));
    }
    Map<String, DeadLetter> letters = new HashMap<>();
    Map<String, Long> expected = new HashMap<>();
    fate.forEach((s, o) -> {
      if (o.result() == Stage.Result.DEAD_LETTERED) {
        expected.merge(s.topic(), 1L, Long::sum);
      }
    });
    expected.forEach((topic, n) -> {
      for (ConsumerRecord<String, Object> r : clients.read(topic + ".dlq", n.intValue(), timeout)) {
        if (r.value() instanceof DeadLetter letter) {
          letters.put(id(letter.getSourceTopic(), letter.getPartition(), letter.getOffset()), letter);
        }
      }
    });
    for (Sent s : sent) {
      String kind = s.poison().shape().name();
      Stage.Outcome o = fate.get(s);
      if (o == null) {
        report.mishandled(kind, "no outcome for " + s.poison() + " at " + id(s.topic(), s.partition(), s.offset())
            + ": the partition stalled");
      } else if (o.result() == Stage.Result.PROCESSED) {
        if (s.poison().mustBeRejected()) {
          report.mishandled(kind, s.poison() + " was processed as if it were valid");
        } else {
          report.handled(kind, "processed");
        }
      } else {
        DeadLetter letter = letters.get(id(s.topic(), s.partition(), s.offset()));
        String hint = s.poison().reasonHint();
        if (letter == null) {
          report.mishandled(kind, s.poison() + " dead-lettered but not on " + s.topic() + ".dlq");
        } else if (letter.getReason() == null || letter.getReason().isBlank()) {
          report.mishandled(kind, s.poison() + " dead-lettered without a reason");
        } else if (hint != null && !letter.getReason().contains(hint)) {
          report.mishandled(kind, s.poison() + " dead-lettered with the reason '" + letter.getReason()
              + "', which does not say '" + hint + "'");
        } else {
          report.handled(kind, "dead-lettered");
        }
      }
    }
  }

  private static String id(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
