package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.live.CallPartitions;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/calls/{callId}/events}: who may watch a call, and what a viewer receives, on the real broker. */
@ExtendWith(LocalStackExtension.class)
class LiveCallEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static IngestInstance ingest;
  private static StackClients clients;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start(KafkaStack stack) {
    ingest = IngestInstance.start(stack, "ingest-live-view-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.live-view.max-viewers", "2"));
    clients = new StackClients(stack);
  }

  @AfterAll
  static void stop() {
    clients.close();
    ingest.close();
  }

  @Test
  void theCallPartitionIsTheOneTheDefaultPartitionerChooses() {
    for (int i = 0; i < 20; i++) {
      String callId = "call-" + UUID.randomUUID();
      int written = clients.send(Topics.TRANSCRIPTS, callId, transcript(callId, "u", "x", true)).partition();
      assertThat(CallPartitions.partitionFor(callId, 12)).as(callId).isEqualTo(written);
    }
  }

  @Test
  void aMissingWrongOrOtherCallTokenIsRefused() throws Exception {
    String callId = "call-" + UUID.randomUUID();
    HttpResponse<String> none = get(eventsUrl(callId, null), Map.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("token");
    // the API key does not open a call's live view: the call's own token does
    assertThat(get(eventsUrl(callId, null), Map.of("X-Api-Key", IngestInstance.API_KEY)).statusCode()).isEqualTo(401);
    assertThat(get(eventsUrl(callId, "not.a-token"), Map.of()).statusCode()).isEqualTo(401);
    String forged = ingest.token(callId);
    forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");
    assertThat(get(eventsUrl(callId, forged), Map.of()).statusCode()).isEqualTo(401);
    HttpResponse<String> other = get(eventsUrl(callId, ingest.token("someone-else")), Map.of());
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("another call");
    assertThat(ingest.counter("sva.ingest.rejected", "provider", "live_view")).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aViewerGetsItsCallsTranscriptsAndTurnsFromNowOnAndNothingElse() throws Exception {
    String callId = "call-" + UUID.randomUUID();
    String neighbour = neighbourOf(callId);
    clients.send(Topics.TRANSCRIPTS, callId, transcript(callId, "old", "said before the viewer came", true));

    HttpRequest request = HttpRequest.newBuilder(URI.create(eventsUrl(callId, ingest.token(callId))))
        .header("Accept", "text/event-stream").build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    Thread reader = readEvents(response.body(), events);
    try {
      String[] ready = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(ready).as("ready event").isNotNull();
      assertThat(ready[0]).isEqualTo("ready");
      assertThat(ready[1]).contains(callId).contains(Topics.TRANSCRIPTS).contains(Topics.DIALOG_TURNS);

      clients.send(Topics.TRANSCRIPTS, neighbour, transcript(neighbour, "n-1", "another call's words", true));
      clients.send(Topics.TRANSCRIPTS, callId, transcript(callId, "u-1", "two licenses", false));
      clients.send(Topics.TRANSCRIPTS, callId, transcript(callId, "u-1", "two licenses please", true));
      clients.send(Topics.DIALOG_TURNS, callId, turn(callId, "t-1", "u-1", Map.of("quantity", "2")));

      List<String[]> received = new ArrayList<>();
      while (received.size() < 3) {
        String[] e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(e).as("event %d after %s", received.size() + 1, received).isNotNull();
        received.add(e);
      }
      assertThat(received.get(0)[0]).isEqualTo("transcript");
      assertThat(received.get(0)[1]).contains("\"isFinal\":false").contains("two licenses");
      assertThat(received.get(1)[1]).contains("\"isFinal\":true").contains("two licenses please")
          .contains("\"endMs\":2800");
      assertThat(received.get(2)[0]).isEqualTo("turn");
      assertThat(received.get(2)[1]).contains("\"turnId\":\"t-1\"").contains("\"inReplyTo\":\"u-1\"")
          .contains("\"quantity\":\"2\"").contains("\"intent\":\"buy\"").contains("\"state\":\"qualify\"")
          .contains("\"action\":\"SPEAK\"");
      // the neighbour's record sits in the same partition before ours, the earlier one before the viewer came
      assertThat(received).noneMatch(e -> e[1].contains("another call") || e[1].contains("before the viewer"));
    } finally {
      response.body().close();
      reader.interrupt();
    }
    awaitNoLiveViewConsumers();
  }

  @Test
  void viewersAboveTheLimitAreToldToComeBackLaterAndALeavingViewerFreesItsPlace() throws Exception {
    String callId = "call-" + UUID.randomUUID();
    String url = eventsUrl(callId, ingest.token(callId));
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        open.add(r);
      }
      HttpResponse<String> third = get(url, Map.of());
      assertThat(third.statusCode()).isEqualTo(503);
      assertThat(third.body()).contains("max-viewers");
    } finally {
      for (HttpResponse<InputStream> r : open) {
        r.body().close();
      }
    }
    awaitNoLiveViewConsumers();
    Instant deadline = Instant.now().plus(WAIT);
    while (true) { // the server notices the closed streams on its next write (a heartbeat at the latest)
      HttpResponse<InputStream> again = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      again.body().close();
      if (again.statusCode() == 200) {
        break;
      }
      assertThat(Instant.now()).as("a place is free again").isBefore(deadline);
      Thread.sleep(200);
    }
  }

  /** The viewer's consumer is closed once it goes away (Kafka registers one MBean per live consumer). */
  private static void awaitNoLiveViewConsumers() throws Exception {
    ObjectName pattern = new ObjectName("kafka.consumer:type=app-info,id=ingest-live-view-test-assigned-*");
    Instant deadline = Instant.now().plus(WAIT);
    while (!ManagementFactory.getPlatformMBeanServer().queryNames(pattern, null).isEmpty()) {
      assertThat(Instant.now()).as("the live view's consumer is closed").isBefore(deadline);
      Thread.sleep(100);
    }
  }

  /** A callId whose records share the call's partition of the transcripts topic. */
  private static String neighbourOf(String callId) {
    int partition = CallPartitions.partitionFor(callId, 12);
    for (int i = 0; ; i++) {
      String candidate = "neighbour-" + i + "-" + UUID.randomUUID();
      if (CallPartitions.partitionFor(candidate, 12) == partition) {
        return candidate;
      }
    }
  }

  private static Thread readEvents(InputStream body, BlockingQueue<String[]> out) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5));
          } else if (line.isEmpty() && event != null) {
            out.add(new String[] {event, data.toString()});
            event = null;
            data.setLength(0);
          }
        }
      } catch (java.io.IOException e) {
        // the test closed the stream
      }
    }, "sse-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String eventsUrl(String callId, String token) {
    return ingest.http() + "/api/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8) + "/events"
        + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Transcript transcript(String callId, String utteranceId, String text, boolean isFinal) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(utteranceId).setText(text).setIsFinal(isFinal)
        .setLanguage("en-US").setConfidence(0.9f).setStartMs(400).setEndMs(2800).setEngine("test")
        .setChannel(Channel.CUSTOMER).setSpeechEndedAt(Instant.now()).setProducedAt(Instant.now()).build();
  }

  static DialogTurn turn(String callId, String turnId, String inReplyTo, Map<String, String> slots) {
    return DialogTurn.newBuilder().setCallId(callId).setTurnId(turnId).setChunkIndex(0)
        .setText("Two licenses, noted.").setLastChunk(true).setAction(DialogAction.SPEAK).setState("qualify")
        .setIntent("buy").setSlots(slots).setLanguage("en-US").setEngine("test").setInReplyTo(inReplyTo)
        .setProducedAt(Instant.now()).build();
  }
}
