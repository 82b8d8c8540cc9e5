package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.ingest.audio.WavFile;
import io.salesvoice.ingest.security.AccessFilter;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.schema.audio.AudioCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes {@code POST /api/replays} with mutated WAV files (header fields, truncated data, wrong and huge declared
 * sizes, random bytes, extra chunks): each gets a 4xx with a message, or is accepted (202) and its replay ends; never a
 * 5xx, never a hang. {@code -Dsva.badinput.fuzz=N} sets the number of uploads.
 */
@ExtendWith(LocalStackExtension.class)
class ReplayUploadFuzzTest {

  private static final Duration ANSWER = Duration.ofSeconds(30);
  private static final Duration REPLAY_END = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Offsets and widths of the canonical 44-byte header's fields. */
  private static final int[][] FIELDS = {{4, 4}, {16, 4}, {20, 2}, {22, 2}, {24, 4}, {28, 4}, {32, 2}, {34, 2},
      {40, 4}};

  enum Mutation { HEADER_FIELD, TRUNCATED, WRONG_DATA_SIZE, HUGE_DECLARED_SIZE, RANDOM_BYTES, FLIPPED_BYTES,
    EXTRA_CHUNK, NOT_RIFF }

  private static IngestInstance ingest;

  @BeforeAll
  static void start(KafkaStack kafka) {
    ingest = IngestInstance.start(kafka, "ingest-replay-fuzz-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.replay.max-size", "1MB")).awaitPartitions(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    ingest.close();
  }

  @Test
  void everyMutatedUploadGetsAClientErrorWithAMessageOrReplaysAndNoneFailsOrHangs() {
    int uploads = Integer.getInteger(MediaSocketFuzzTest.FUZZ_PROPERTY, 40) * 2;
    Random random = new Random(PoisonRecords.seed());
    List<byte[]> bases = List.of(
        new WavFile(AudioCodec.PCM16, 8000, 1, noise(random, 8000)).toBytes(),
        new WavFile(AudioCodec.MULAW, 8000, 2, noise(random, 8000)).toBytes(),
        new WavFile(AudioCodec.ALAW, 16000, 1, noise(random, 6400)).toBytes());
    BadInputReport report = new BadInputReport("ingest-audio-replay-fuzz", "mutated WAV uploads to POST /api/replays");
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < uploads; i++) {
      Mutation m = Mutation.values()[i % Mutation.values().length];
      byte[] body = mutate(bases.get(random.nextInt(bases.size())), m, random);
      post(m.name(), body, report, accepted);
    }
    for (String id : accepted) {
      awaitEnd(id, report);
    }
    report.write();
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).isEqualTo(uploads);
  }

  private static void post(String kind, byte[] body, BadInputReport report, List<String> accepted) {
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(URI.create(ingest.http() + "/api/replays?speed=0"))
          .timeout(ANSWER).header(AccessFilter.API_KEY_HEADER, IngestInstance.API_KEY)
          .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      report.mishandled(kind, "no answer to a " + body.length + "-byte upload: " + e);
      return;
    }
    int status = r.statusCode();
    if (status == 202) {
      accepted.add(field(r.body(), "id"));
      report.handled(kind, "202 accepted");
    } else if (status >= 400 && status < 500 && !field(r.body(), "message").isBlank()) {
      report.handled(kind, String.valueOf(status));
    } else {
      report.mishandled(kind, status + " " + r.body() + " for a " + body.length + "-byte upload starting "
          + hex(body));
    }
  }

  /** An accepted upload must finish or fail, not run for ever. */
  private static void awaitEnd(String id, BadInputReport report) {
    Instant deadline = Instant.now().plus(REPLAY_END);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ingest.http() + "/api/replays/" + id))
            .timeout(ANSWER).header(AccessFilter.API_KEY_HEADER, IngestInstance.API_KEY).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && !field(r.body(), "state").equals("RUNNING")) {
          return;
        }
      } catch (Exception e) {
        // asked again below
      }
      IngestInstance.sleep(100);
    }
    report.mishandled("ACCEPTED_REPLAY", "replay " + id + " still running after " + REPLAY_END);
  }

  static byte[] mutate(byte[] wav, Mutation m, Random r) {
    byte[] b = wav.clone();
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    switch (m) {
      case HEADER_FIELD -> {
        int[] f = FIELDS[r.nextInt(FIELDS.length)];
        int[] interesting = {0, 1, -1, 3, 7, 255, 0xFFFF, 0x7FFFFFFF, Integer.MIN_VALUE, 44100, 96000, 2, 16, 24, 32,
            r.nextInt()};
        int v = interesting[r.nextInt(interesting.length)];
        if (f[1] == 2) {
          le.putShort(f[0], (short) v);
        } else {
          le.putInt(f[0], v);
        }
        return b;
      }
      case TRUNCATED -> {
        return Arrays.copyOf(b, r.nextInt(b.length));
      }
      case WRONG_DATA_SIZE -> {
        int actual = b.length - 44;
        le.putInt(40, r.nextBoolean() ? actual + 1 + r.nextInt(100_000) : r.nextInt(Math.max(1, actual)) | 1);
        if (r.nextBoolean()) {
          le.putInt(4, r.nextInt(b.length * 2));
        }
        return b;
      }
      case HUGE_DECLARED_SIZE -> {
        le.putInt(r.nextBoolean() ? 40 : 4, -1 - r.nextInt(16));   // 0xFFFFFFF0 … 0xFFFFFFFF
        if (r.nextBoolean()) {
          le.putInt(16, 0x7FFFFFF0);   // a fmt chunk that claims 2 GB
        }
        return b;
      }
      case RANDOM_BYTES -> {
        byte[] c = new byte[r.nextInt(4096)];
        r.nextBytes(c);
        if (r.nextBoolean() && c.length >= 12) {
          System.arraycopy("RIFF".getBytes(), 0, c, 0, 4);
          System.arraycopy("WAVE".getBytes(), 0, c, 8, 4);
        }
        return c;
      }
      case FLIPPED_BYTES -> {
        for (int n = 1 + r.nextInt(8); n > 0; n--) {
          b[r.nextInt(Math.min(b.length, r.nextBoolean() ? 64 : b.length))] ^= (byte) (1 + r.nextInt(255));
        }
        return b;
      }
      case EXTRA_CHUNK -> {
        byte[] chunk = new byte[8 + r.nextInt(64)];
        r.nextBytes(chunk);
        System.arraycopy("LIST".getBytes(), 0, chunk, 0, 4);
        int[] sizes = {chunk.length - 8, chunk.length - 7, -1, 0x7FFFFFFF, 0, chunk.length + 1000};
        ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).putInt(4, sizes[r.nextInt(sizes.length)]);
        byte[] c = new byte[b.length + chunk.length];
        System.arraycopy(b, 0, c, 0, 36);
        System.arraycopy(chunk, 0, c, 36, chunk.length);
        System.arraycopy(b, 36, c, 36 + chunk.length, b.length - 36);
        return c;
      }
      default -> {
        String[] heads = {"RIFX", "RIFF\0\0\0\0AVI ", "FORM", "fLaC", "\u00ff\u00fb\u0090", "OggS", "RF64", "{}"};
        byte[] head = heads[r.nextInt(heads.length)].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, b, 0, Math.min(head.length, b.length));
        return b;
      }
    }
  }

  private static byte[] noise(Random r, int bytes) {
    byte[] b = new byte[bytes];
    r.nextBytes(b);
    return b;
  }

  private static String field(String json, String name) {
    try {
      JsonNode node = JSON.readTree(json).get(name);
      return node == null || node.isNull() ? "" : node.asText();
    } catch (Exception e) {
      return "";
    }
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(48, b.length); i++) {
      s.append(String.format("%02x", b[i]));
    }
    return s.toString();
  }
}
