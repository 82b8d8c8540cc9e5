package io.salesvoice.platform.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.metrics.StageMetrics;
import io.salesvoice.platform.topics.Topics;
import io.opentelemetry.api.trace.Span;
import io.salesvoice.platform.trace.StageTracing;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.deadletter.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Runs one pipeline stage by the processing rules every worker follows: records of one partition in order (or, with
 * {@code concurrencyPerPartition > 1}, in order per key), partitions in parallel, offsets committed only after the
 * outputs are acknowledged, a record that cannot be decoded or processed dead-lettered to {@code <topic>.dlq} with the
 * reason, and a flux that never dies: a write that fails is retried with backoff, not skipped.
 */
public final class Stage<V> {

  private static final Logger log = LoggerFactory.getLogger(Stage.class);

  /**
   * Where records are decoded and processed: one thread per core, shared by every stage of the JVM. Left to itself,
   * reactor-kafka runs the whole chain on the consumer's poll thread (and, after a send, on the sender's one result
   * thread), so a stage used one core and stopped polling while it processed. Processors must not block (blocking
   * engines run on bounded schedulers of their own); one call's records still run one after another.
   */
  /**
   * Records taken from the consumer ahead of their partition's processing, all partitions together. A poll brings up
   * to 500 records, often of one partition: with Reactor's default of 256 one busy partition held the whole buffer and
   * the others got nothing until it drained (measured in crm-sink: 2 to 4 of 6 partitions active). 8192 small records
   * are a few megabytes.
   */
  private static final int PARTITIONS_PREFETCH = 8192;

  private static final Scheduler PROCESSING = Schedulers.newParallel("sva-stage",
      Math.max(2, Runtime.getRuntime().availableProcessors()), true);

  /** The stage's logic: the outputs one input record causes. Plain code, testable without Kafka. */
  @FunctionalInterface
  public interface Processor<V> {
    Publisher<OutboundRecord> process(InboundRecord<V> record);
  }

  /** What became of one input record. */
  public enum Result { PROCESSED, DEAD_LETTERED }

  /** The outcome of one input record, emitted after its offset may be committed. */
  public record Outcome(String topic, int partition, long offset, String key, Result result, int outputs, String reason) {
  }

  private final String name;
  private final Class<V> valueType;
  private final Processor<V> processor;
  private final Function<V, String> expectedKey;
  private final RecordReceiver receiver;
  private final RecordSender sender;
  private final Deserializer<Object> valueDeserializer;
  private final StageMetrics metrics;
  private final StageTracing tracing;
  private final int concurrencyPerPartition;
  private final int maxPartitions;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  /** Records being processed and how far each got, for {@link #reportStuck()}. */
  private final Map<RecordReceiver.Received, Progress> inProcessing = new ConcurrentHashMap<>();
  private final Set<RecordReceiver.Received> reportedStuck = ConcurrentHashMap.newKeySet();

  private final Duration stuckAfter;

  private Stage(Builder<V> b) {
    this.name = b.name;
    this.valueType = b.valueType;
    this.processor = b.processor;
    this.expectedKey = b.expectedKey;
    this.sender = b.sender;
    this.metrics = new StageMetrics(b.meterRegistry, b.name);
    this.tracing = b.tracing != null ? b.tracing : StageTracing.installed();
    this.concurrencyPerPartition = b.concurrencyPerPartition;
    this.maxPartitions = b.maxPartitions;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.stuckAfter = b.stuckAfter;
    this.receiver = RecordReceiver.create(b.settings, b.groupId, b.topics, concurrencyPerPartition > 1,
        b.onAssigned, b.onRevoked).withMetrics(b.meterRegistry);
    this.valueDeserializer = newValueDeserializer(b.settings);
  }

  public static <V> Builder<V> builder(String name, Class<V> valueType) {
    return new Builder<>(name, valueType);
  }

  /** Subscribes and runs until disposed. */
  public Disposable start() {
    return run().subscribe();
  }

  /** The stage as a flux of outcomes, one per input record, for callers and tests that want to watch. */
  public Flux<Outcome> run() {
    return Flux.using(() -> Flux.interval(stuckAfter.dividedBy(2)).subscribe(t -> reportStuck()),
        watchdog -> outcomes(), Disposable::dispose);
  }

  /**
   * Logs and counts ({@code sva.stage.records.stuck}) each record still in processing {@code stuckAfter} after it
   * started, once: the records behind it with the same key wait, and the partition's offsets cannot be committed past
   * it, so it is worth an operator's look.
   */
  private void reportStuck() {
    long now = System.nanoTime();
    inProcessing.forEach((received, progress) -> {
      if (now - progress.takenAt > stuckAfter.toNanos() && reportedStuck.add(received)) {
        ConsumerRecord<String, byte[]> r = received.record();
        metrics.stuck(r.topic());
        log.warn("Stage {}: {}-{}@{} (key {}) is still being processed after {} s: {}", name, r.topic(),
            r.partition(), r.offset(), quote(r.key()), (now - progress.takenAt) / 1_000_000_000L, progress);
      }
    });
  }

  private Flux<Outcome> outcomes() {
    return receiver.receive()
        .groupBy(RecordReceiver.Received::topicPartition, PARTITIONS_PREFETCH)
        .flatMap(this::handlePartition, maxPartitions)
        .retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff).maxBackoff(maxBackoff)
            .doBeforeRetry(s -> log.warn("Stage {}: consumer failed, reconnecting: {}", name, s.failure().toString())));
  }

  private Flux<Outcome> handlePartition(Flux<RecordReceiver.Received> partition) {
    if (concurrencyPerPartition == 1) {
      return partition.concatMap(this::handle);
    }
    return KeyOrdered.flatMap(partition, r -> r.record().key(), this::handle, concurrencyPerPartition);
  }

  private Mono<Outcome> handle(RecordReceiver.Received received) {
    ConsumerRecord<String, byte[]> record = received.record();
    TraceContext incoming = TraceContext.from(record.headers()).orElseGet(TraceContext::newTrace);
    Span span = tracing.start(name, record.topic(), record.partition(), record.offset(), record.key(), incoming);
    TraceContext trace = StageTracing.contextOf(span, incoming);
    long started = System.nanoTime();
    metrics.received(record.topic());
    Progress progress = new Progress(started);
    inProcessing.put(received, progress);
    return Mono.defer(() -> process(record, trace, progress))
        .subscribeOn(PROCESSING)
        .onErrorMap(Stage::isPermanentWriteFailure,
            e -> new Rejected("an output cannot be written: " + describe(e), e))
        .onErrorResume(Rejected.class, e -> {
          StageTracing.failed(span, e.getMessage());
          return deadLetter(record, trace, e);
        })
        .retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff).maxBackoff(maxBackoff)
            .doBeforeRetry(s -> {
              metrics.retried();
              span.addEvent("retry: " + describe(s.failure()));
              log.warn("Stage {}: {}-{}@{} failed for a transient reason, retrying: {}", name, record.topic(),
                  record.partition(), record.offset(), describe(s.failure()));
            }))
        .doOnNext(outcome -> {
          received.acknowledge();
          if (outcome.result() == Result.PROCESSED) {
            metrics.processed(record.topic(), Duration.ofNanos(System.nanoTime() - started));
          }
        })
        .doOnRequest(n -> progress.outcomeRequested = true)
        .doFinally(signal -> {
          inProcessing.remove(received);
          reportedStuck.remove(received);
          span.end();
        });
  }

  private Mono<Outcome> process(ConsumerRecord<String, byte[]> record, TraceContext trace, Progress progress) {
    progress.attempts++;
    InboundRecord<V> inbound = decode(record, trace);
    Flux<OutboundRecord> outputs = Flux.defer(() -> processor.process(inbound))
        .onErrorMap(e -> !(e instanceof Rejected) && !isTransient(e),
            e -> new Rejected("processing failed: " + describe(e), e))
        .map(o -> o.headers().containsKey(TraceContext.TRACEPARENT) ? o : withTrace(o, trace))
        .doOnNext(o -> {
          progress.outputs++;
          metrics.sent(o.topic());
        })
        .doOnComplete(() -> progress.outputsComplete = true);
    return sender.send(outputs, trace)
        .doOnNext(m -> progress.acknowledged++)
        .doOnComplete(() -> progress.sendComplete = true)
        .count()
        .map(n -> new Outcome(record.topic(), record.partition(), record.offset(), record.key(), Result.PROCESSED,
            n.intValue(), null));
  }

  private InboundRecord<V> decode(ConsumerRecord<String, byte[]> record, TraceContext trace) {
    if (record.value() == null) {
      throw new Rejected("the record has no value", null);
    }
    Object value;
    try {
      value = valueDeserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      if (isTransient(e)) {
        throw e;   // e.g. the registry is unreachable: the record is fine, try it again later
      }
      throw new Rejected("the value cannot be deserialized: " + describe(e), e);
    }
    if (!valueType.isInstance(value)) {
      throw new Rejected("expected a " + valueType.getName() + " value, got "
          + (value == null ? "null" : value.getClass().getName()), null);
    }
    V typed = valueType.cast(value);
    if (expectedKey != null) {
      String expected = expectedKey.apply(typed);
      if (expected == null) {
        throw new Rejected("a " + typed.getClass().getName() + " value has no call id this stage knows to match the key "
            + quote(record.key()), null);
      }
      if (!Objects.equals(expected, record.key())) {
        throw new Rejected("the key " + quote(record.key()) + " is not the value's call id " + quote(expected), null);
      }
    }
    return new InboundRecord<>(record.topic(), record.partition(), record.offset(), record.key(), typed,
        record.headers(), record.timestamp(), trace);
  }

  private Mono<Outcome> deadLetter(ConsumerRecord<String, byte[]> record, TraceContext trace, Rejected why) {
    Map<String, ByteBuffer> headers = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), h.value() == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(h.value()));
    }
    Throwable cause = why.getCause();
    DeadLetter letter = DeadLetter.newBuilder()
        .setSourceTopic(record.topic())
        .setPartition(record.partition())
        .setOffset(record.offset())
        .setKey(record.key())
        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setHeaders(headers)
        .setStage(name)
        .setReason(why.getMessage())
        .setErrorClass(cause == null ? null : cause.getClass().getName())
        .setFailedAt(Instant.now())
        .build();
    String topic = Topics.deadLetterOf(record.topic());
    log.warn("Stage {}: dead-lettering {}-{}@{} to {}: {}", name, record.topic(), record.partition(), record.offset(),
        topic, why.getMessage());
    return sender.send(OutboundRecord.of(topic, record.key(), letter), trace)
        // A letter that cannot be written (a value near the size limit, plus the letter's own fields, is too large)
        // would be retried for ever and stall the partition: keep the reason and the coordinates, not the bytes.
        .onErrorResume(Stage::isPermanentWriteFailure, e -> sender.send(OutboundRecord.of(topic, record.key(),
            DeadLetter.newBuilder(letter).setValue(null).setHeaders(Map.of())
                .setReason(why.getMessage() + " (the original value of " + record.serializedValueSize()
                    + " bytes and its headers are not kept: " + describe(e) + ")")
                .build()), trace))
        .doOnNext(m -> metrics.deadLettered(record.topic()))
        .map(m -> new Outcome(record.topic(), record.partition(), record.offset(), record.key(), Result.DEAD_LETTERED,
            0, why.getMessage()));
  }

  /**
   * A write that will fail the same way every time: retrying it would stall the partition forever. A registry or broker
   * that cannot be reached is not such a failure.
   */
  private static boolean isPermanentWriteFailure(Throwable e) {
    if (e instanceof Rejected) {
      return false;
    }
    if (e instanceof RecordTooLargeException) {
      return true;
    }
    if (e instanceof SerializationException) {
      return !isTransient(e);
    }
    return e instanceof ClassCastException || e instanceof IllegalArgumentException || e instanceof NullPointerException;
  }

  private static OutboundRecord withTrace(OutboundRecord o, TraceContext trace) {
    return o.withHeader(TraceContext.TRACEPARENT, trace.traceparent().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * A failure that says nothing about the record: a registry, broker or downstream service could not be reached.
   * By convention such failures carry an {@link IOException} somewhere in their cause chain; the record is retried
   * with backoff instead of being dead-lettered.
   */
  static boolean isTransient(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  /** The settings' value deserializer, configured for values; also {@link CompactedTopicReader}'s. */
  @SuppressWarnings("unchecked")
  static Deserializer<Object> newValueDeserializer(KafkaSettings settings) {
    try {
      Deserializer<Object> d = Utils.newInstance(settings.valueDeserializer(), Deserializer.class);
      d.configure(settings.serdeConfig(), false);
      return d;
    } catch (ClassNotFoundException e) {
      throw new KafkaException("value deserializer class not found: " + settings.valueDeserializer(), e);
    }
  }

  /**
   * How far a record in processing got, for the stuck-record report: whether it was picked up, how many outputs the
   * processor gave and whether it finished giving them, how many the broker acknowledged. Written by whichever thread
   * signals, read by the reporter; a report may be a moment behind.
   */
  private static final class Progress {
    final long takenAt;
    volatile int attempts;
    volatile int outputs;
    volatile boolean outputsComplete;
    volatile int acknowledged;
    volatile boolean sendComplete;
    /** Whether the partition's flow asked for the outcome: a finished record is not done until it is taken. */
    volatile boolean outcomeRequested;

    Progress(long takenAt) {
      this.takenAt = takenAt;
    }

    @Override
    public String toString() {
      if (attempts == 0) {
        return "not picked up by a processing thread yet";
      }
      String outputsState = outputs + " output(s) " + (outputsComplete ? "given, all of them" : "given so far");
      return "attempt " + attempts + ", " + outputsState + ", " + acknowledged + " acknowledged"
          + (sendComplete ? ", sending complete" : "") + (outcomeRequested ? "" : ", its outcome not asked for yet");
    }
  }

  /** A record that cannot be processed, ever: it goes to the dead-letter topic with this message as the reason. */
  static final class Rejected extends RuntimeException {
    Rejected(String reason, Throwable cause) {
      super(reason, cause, false, false);
    }
  }

  /** Configures a stage; the defaults follow the processing rules. */
  public static final class Builder<V> {
    private final String name;
    private final Class<V> valueType;
    private String groupId;
    private Collection<String> topics = List.of();
    private Processor<V> processor;
    private Function<V, String> expectedKey;
    private KafkaSettings settings;
    private RecordSender sender;
    private MeterRegistry meterRegistry;
    private StageTracing tracing;
    private int concurrencyPerPartition = 1;
    private int maxPartitions = 256;
    private Duration minBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration stuckAfter = Duration.ofSeconds(10);
    private Consumer<Collection<TopicPartition>> onAssigned = p -> { };
    private Consumer<Collection<TopicPartition>> onRevoked = p -> { };

    private Builder(String name, Class<V> valueType) {
      this.name = Objects.requireNonNull(name, "name");
      this.valueType = Objects.requireNonNull(valueType, "valueType");
      this.groupId = name;
    }

    public Builder<V> consume(String... topics) {
      this.topics = List.of(topics);
      return this;
    }

    /** The consumer group; defaults to the stage name, so every instance of a worker shares the partitions. */
    public Builder<V> groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    public Builder<V> process(Processor<V> processor) {
      this.processor = processor;
      return this;
    }

    /** Dead-letters records whose key is not what the value says it should be (for pipeline topics: the callId). */
    public Builder<V> expectKey(Function<V, String> expectedKey) {
      this.expectedKey = expectedKey;
      return this;
    }

    public Builder<V> kafka(KafkaSettings settings, RecordSender sender) {
      this.settings = settings;
      this.sender = sender;
      return this;
    }

    /** Exports a span per record through {@code openTelemetry}; by default the one installed at start-up, if any. */
    public Builder<V> tracing(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      this.tracing = StageTracing.of(openTelemetry);
      return this;
    }

    public Builder<V> metrics(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
      return this;
    }

    /** How many calls of one partition are processed at once; one call's records are always processed in order. */
    public Builder<V> concurrencyPerPartition(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrencyPerPartition must be at least 1");
      }
      this.concurrencyPerPartition = concurrency;
      return this;
    }

    /** Upper bound of partitions one instance handles at once; must not be below what it is assigned. */
    public Builder<V> maxPartitions(int maxPartitions) {
      this.maxPartitions = maxPartitions;
      return this;
    }

    public Builder<V> backoff(Duration min, Duration max) {
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /** A record whose outputs are not all acknowledged this long after it was taken is reported; default 10 s. */
    public Builder<V> reportStuckAfter(Duration after) {
      if (after.isNegative() || after.isZero()) {
        throw new IllegalArgumentException("reportStuckAfter must be positive");
      }
      this.stuckAfter = after;
      return this;
    }

    public Builder<V> onPartitionsAssigned(Consumer<Collection<TopicPartition>> listener) {
      this.onAssigned = listener;
      return this;
    }

    public Builder<V> onPartitionsRevoked(Consumer<Collection<TopicPartition>> listener) {
      this.onRevoked = listener;
      return this;
    }

    public Stage<V> build() {
      if (topics.isEmpty()) {
        throw new IllegalStateException(name + ": no topic to consume");
      }
      Objects.requireNonNull(processor, name + ": no processor");
      Objects.requireNonNull(settings, name + ": no Kafka settings");
      Objects.requireNonNull(meterRegistry, name + ": no meter registry");
      return new Stage<>(this);
    }
  }
}
