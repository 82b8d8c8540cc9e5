package io.salesvoice.simulators.qa;

import io.salesvoice.platform.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows when the speech and analytics stages have read everything the replays wrote, from their consumer groups'
 * committed offsets: a fast replay's call ends long before stt-worker has transcribed its audio, and a quiet view is
 * no proof that nothing more is coming. Only partitions the replays wrote to count (their end offsets moved between
 * {@link #begin()} and {@link #mark()}), so other traffic and old data do not hold the wait up.
 */
public final class KafkaDrain implements ReplayQa.Drain {

  /**
   * The topics and consumer groups to watch.
   *
   * @param sttFlush how long after stt-worker has read everything it may still write a call's last words: an ended
   *                 call whose last audio is late is flushed after stt-worker's end grace (2 s) by its sweep (every
   *                 second); the wait ends earlier once stt-worker's gauge {@code sva_stt_calls_active} at
   *                 {@code sttMetrics} says it holds no call
   */
  public record Groups(String audio, String calls, String transcripts, String sttGroup, String analyticsGroup,
                       Duration sttFlush, URI sttMetrics) {

    /** The local stack's: stt-worker's group, analytics-stream's application id. */
    public static Groups local(String analyticsApplicationId, URI sttMetrics) {
      return new Groups(Topics.AUDIO_IN, Topics.CALLS, Topics.TRANSCRIPTS, "stt-worker", analyticsApplicationId,
          STT_FLUSH, sttMetrics);
    }
  }

  /** stt-worker's end grace (2 s), its sweep (every second) and a margin. */
  public static final Duration STT_FLUSH = Duration.ofSeconds(5);

  private static final Pattern ACTIVE_CALLS = Pattern.compile("(?m)^sva_stt_calls_active(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

  private static final long TIMEOUT_MS = 8_000;

  private final Admin admin;
  private final Groups groups;
  private Map<TopicPartition, Long> before;
  private Map<TopicPartition, Long> input;
  private Map<TopicPartition, Long> transcribed;
  private long sttReadAllNanos = -1;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public KafkaDrain(String bootstrapServers, Groups groups) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sva-replay-qa");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    this.admin = Admin.create(p);
    this.groups = groups;
  }

  @Override
  public void begin() throws ReplayQaException, InterruptedException {
    before = ends(List.of(groups.audio(), groups.calls(), groups.transcripts()));
  }

  @Override
  public void mark() throws ReplayQaException, InterruptedException {
    input = written(ends(List.of(groups.audio(), groups.calls())));
  }

  @Override
  public String pending() throws InterruptedException {
    try {
      if (transcribed == null) {
        long lag = lag(groups.sttGroup(), input);
        if (lag > 0) {
          return groups.sttGroup() + " has " + lag + " replayed record(s) to transcribe";
        }
        long now = System.nanoTime();
        if (sttReadAllNanos < 0) {
          sttReadAllNanos = now;
        }
        long left = groups.sttFlush().toNanos() - (now - sttReadAllNanos);
        if (left > 0 && sttHoldsCalls()) {
          return String.format("%d s more for %s's idle sweep to flush the calls' last words", (left + 999_999_999)
              / 1_000_000_000, groups.sttGroup());
        }
        // everything stt-worker will write for these calls is in sva.transcripts now
        Map<TopicPartition, Long> next = new HashMap<>(input);
        next.keySet().removeIf(tp -> tp.topic().equals(groups.audio()));
        next.putAll(written(ends(List.of(groups.transcripts()))));
        transcribed = next;
      }
      long lag = lag(groups.analyticsGroup(), transcribed);
      return lag > 0 ? groups.analyticsGroup() + " has " + lag + " record(s) of the replays to read" : null;
    } catch (ReplayQaException e) {
      return "Kafka did not answer: " + e.getMessage();
    }
  }

  /** Whether stt-worker still holds some call's audio (true when its gauge cannot be read: then the time decides). */
  private boolean sttHoldsCalls() throws InterruptedException {
    if (groups.sttMetrics() == null) {
      return true;
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(groups.sttMetrics()).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = ACTIVE_CALLS.matcher(r.body());
      return r.statusCode() != 200 || !m.find() || Double.parseDouble(m.group(1)) > 0;
    } catch (IOException | NumberFormatException e) {
      return true;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }

  /** The partitions whose end moved since {@link #begin()}, with their end now. */
  private Map<TopicPartition, Long> written(Map<TopicPartition, Long> now) {
    Map<TopicPartition, Long> moved = new HashMap<>();
    now.forEach((tp, end) -> {
      if (end > before.getOrDefault(tp, 0L)) {
        moved.put(tp, end);
      }
    });
    return moved;
  }

  private long lag(String group, Map<TopicPartition, Long> marks) throws ReplayQaException, InterruptedException {
    if (marks.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata(), "the committed offsets of " + group);
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> m : marks.entrySet()) {
      OffsetAndMetadata c = committed.get(m.getKey());
      long from = c != null ? c.offset() : before.getOrDefault(m.getKey(), 0L);
      lag += Math.max(0, m.getValue() - from);
    }
    return lag;
  }

  private Map<TopicPartition, Long> ends(Collection<String> topics) throws ReplayQaException, InterruptedException {
    Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames(), "topics " + topics);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    described.values().forEach(d -> d.partitions().forEach(p ->
        request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(request).all(),
        "the end offsets of " + topics);
    Map<TopicPartition, Long> out = new HashMap<>();
    ends.forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what)
      throws ReplayQaException, InterruptedException {
    try {
      return future.get(TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new ReplayQaException("cannot read " + what + " from Kafka: " + cause.getMessage(), false);
    }
  }
}
