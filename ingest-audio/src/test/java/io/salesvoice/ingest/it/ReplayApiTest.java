package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.audio.WavFile;
import io.salesvoice.ingest.replay.ReplayStatus;
import io.salesvoice.ingest.security.AccessFilter;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** {@code POST /api/replays} and {@code GET /api/replays/{id}} against a real instance and broker. */
@ExtendWith(LocalStackExtension.class)
class ReplayApiTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static IngestInstance ingest;
  private static KafkaStack stack;
  private static WebTestClient http;

  @BeforeAll
  static void start(KafkaStack kafka) {
    stack = kafka;
    ingest = IngestInstance.start(kafka, "ingest-replay-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.replay.max-size", "1MB")).awaitPartitions(Duration.ofSeconds(30));
    http = WebTestClient.bindToServer().baseUrl(ingest.http()).responseTimeout(WAIT)
        .defaultHeader(AccessFilter.API_KEY_HEADER, IngestInstance.API_KEY).build();
  }

  @AfterAll
  static void stop() {
    ingest.close();
  }

  private static ReplayStatus awaitFinished(String id) {
    Instant deadline = Instant.now().plus(WAIT);
    // short per-request timeouts, retried: one slow poll on a loaded machine must not decide the test
    WebTestClient poll = http.mutate().responseTimeout(Duration.ofSeconds(5)).build();
    while (true) {
      ReplayStatus s = null;
      try {
        s = poll.get().uri("/api/replays/{id}", id).exchange().expectStatus().isOk()
            .expectBody(ReplayStatus.class).returnResult().getResponseBody();
      } catch (IllegalStateException timeout) {
        if (Instant.now().isAfter(deadline)) {
          throw timeout;
        }
      }
      if ((s != null && !s.state().equals("RUNNING")) || Instant.now().isAfter(deadline)) {
        return s;
      }
      IngestInstance.sleep(50);
    }
  }

  @Test
  void aStereoRecordingIsReplayedAsAgentAndCustomerChannels() throws IOException {
    byte[] wav = TwilioStreamTest.resource("call-stereo-8k-pcm16.wav");
    ReplayStatus accepted = http.post().uri("/api/replays?speed=0&campaignId=qa-1&language=en-US")
        .contentType(MediaType.parseMediaType("audio/wav")).bodyValue(wav)
        .exchange().expectStatus().isAccepted()
        .expectHeader().valueMatches("Location", "/api/replays/.+")
        .expectBody(ReplayStatus.class).returnResult().getResponseBody();
    assertThat(accepted.channels()).isEqualTo(2);

    ReplayStatus done = awaitFinished(accepted.id());
    assertThat(done.state()).isEqualTo("FINISHED");
    assertThat(done.chunksSent()).isEqualTo(done.totalChunks());

    WavFile source = WavFile.parse(wav);
    long perChannel = (source.durationMs() + 19) / 20;
    assertThat(done.totalChunks()).isEqualTo(2 * perChannel);
    List<AudioChunk> chunks = CallReader.read(stack, Topics.AUDIO_IN, done.callId(), AudioChunk.class,
        l -> l.size() >= done.totalChunks(), WAIT);
    assertThat(chunks).hasSize((int) done.totalChunks());
    List<AudioChunk> agent = chunks.stream().filter(c -> c.getChannel() == Channel.AGENT).toList();
    List<AudioChunk> customer = chunks.stream().filter(c -> c.getChannel() == Channel.CUSTOMER).toList();
    assertThat(agent).hasSize((int) perChannel);
    assertThat(customer).hasSize((int) perChannel);
    for (int i = 0; i < perChannel; i++) {
      assertThat(customer.get(i).getSeq()).isEqualTo(i);
      assertThat(agent.get(i).getMediaTimeMs()).isEqualTo(i * 20L);
    }
    // the right channel, byte for byte: the recording is already 8 kHz PCM16, the pipeline's format in this test
    ByteArrayOutputStream right = new ByteArrayOutputStream();
    customer.forEach(c -> {
      byte[] b = new byte[c.getData().remaining()];
      c.getData().get(b);
      right.writeBytes(b);
    });
    short[] expected = source.channelSamples()[1];
    assertThat(right.toByteArray()).isEqualTo(io.salesvoice.ingest.audio.Pcm16.toBytes(expected));

    List<CallEvent> events = CallReader.read(stack, Topics.CALLS, done.callId(), CallEvent.class,
        l -> l.size() >= 2, WAIT);
    CallStarted started = (CallStarted) events.get(0).getEvent();
    assertThat(started.getDirection()).isEqualTo(CallDirection.REPLAY);
    assertThat(started.getProvider()).isEqualTo("replay");
    assertThat(started.getLanguage()).isEqualTo("en-US");
    assertThat(started.getParameters()).containsEntry("replayId", accepted.id());
    assertThat(events.get(0).getCampaignId()).isEqualTo("qa-1");
    assertThat(((CallEnded) events.get(1).getEvent()).getReason()).isEqualTo(CallEndReason.REPLAY_FINISHED);
  }

  @Test
  void aMultipartUploadAtSpeedOneTakesRealTime() {
    byte[] pcm = TwilioStreamTest.tone(16000, 1000, 0.2);
    byte[] wav = new WavFile(AudioCodec.PCM16, 16000, 1, pcm).toBytes();
    MultipartBodyBuilder form = new MultipartBodyBuilder();
    form.part("comment", "weekly QA sample");
    form.part("file", new ByteArrayResource(wav) {
      @Override
      public String getFilename() {
        return "call.wav";
      }
    }).contentType(MediaType.parseMediaType("audio/wav"));
    ReplayStatus accepted = http.post().uri("/api/replays?speed=1&callId=qa-call-" + System.nanoTime())
        .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(form.build()))
        .exchange().expectStatus().isAccepted().expectBody(ReplayStatus.class).returnResult().getResponseBody();
    assertThat(accepted.state()).isEqualTo("RUNNING");
    assertThat(accepted.channels()).isEqualTo(1);
    ReplayStatus done = awaitFinished(accepted.id());
    assertThat(done.state()).isEqualTo("FINISHED");
    assertThat(done.totalChunks()).isEqualTo(50);
    // one second of audio at real time: well over half a second, whatever the machine's load
    assertThat(Duration.between(done.startedAt(), done.finishedAt())).isGreaterThan(Duration.ofMillis(800));
    List<AudioChunk> chunks = CallReader.read(stack, Topics.AUDIO_IN, done.callId(), AudioChunk.class,
        l -> l.size() >= 50, WAIT);
    assertThat(chunks).hasSize(50).allSatisfy(c -> {
      assertThat(c.getChannel()).isEqualTo(Channel.CUSTOMER);
      assertThat(c.getSampleRate()).isEqualTo(8000);
    });
  }

  @Test
  void badUploadsGetAClearError() throws IOException {
    post("audio/wav", "ID3\u0004\0\0\0\0\0\0 and then mp3 frames".getBytes(), 415, "MP3");
    post("application/octet-stream", "OggS\0\2 opus".getBytes(), 415, "Ogg");
    post("application/octet-stream", "name,phone\nAnna,+79991234567\n".getBytes(), 415, "not a WAV");
    byte[] wav = TwilioStreamTest.resource("offer-8k-mulaw.wav");
    post("audio/wav", Arrays.copyOf(wav, 5000), 400, "truncated");
    post("audio/wav", new byte[0], 400, "no recording");
    byte[] big = new WavFile(AudioCodec.PCM16, 8000, 1, new byte[1_200_000]).toBytes();
    post("audio/wav", big, 413, "limit");
    http.post().uri("/api/replays?speed=fast").contentType(MediaType.parseMediaType("audio/wav")).bodyValue(wav)
        .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m ->
            assertThat((String) m).contains("speed"));
    http.post().uri("/api/replays").contentType(MediaType.TEXT_PLAIN).bodyValue("hello")
        .exchange().expectStatus().isEqualTo(415);
    http.get().uri("/api/replays/{id}", "no-such-replay").exchange().expectStatus().isNotFound();
    assertThat(ingest.counter("sva.ingest.rejected", "provider", "replay")).isGreaterThanOrEqualTo(7);
  }

  @Test
  void replayNeedsTheApiKey() throws IOException {
    byte[] wav = TwilioStreamTest.resource("offer-8k-mulaw.wav");
    WebTestClient anonymous = WebTestClient.bindToServer().baseUrl(ingest.http()).build();
    anonymous.post().uri("/api/replays").contentType(MediaType.parseMediaType("audio/wav")).bodyValue(wav)
        .exchange().expectStatus().isUnauthorized().expectBody().jsonPath("$.message").value(m ->
            assertThat((String) m).contains("X-Api-Key"));
    anonymous.get().uri("/api/replays/x").header(AccessFilter.API_KEY_HEADER, "wrong")
        .exchange().expectStatus().isUnauthorized();
    anonymous.post().uri("/api/call-tokens").bodyValue(Map.of("callId", "c1")).exchange()
        .expectStatus().isUnauthorized();
    http.post().uri("/api/call-tokens").bodyValue(Map.of("callId", "c1", "ttlSeconds", 60)).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.token").isNotEmpty();
  }

  private static void post(String contentType, byte[] body, int status, String message) {
    http.post().uri("/api/replays").contentType(MediaType.parseMediaType(contentType)).bodyValue(body)
        .exchange().expectStatus().isEqualTo(status)
        .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains(message));
  }
}
