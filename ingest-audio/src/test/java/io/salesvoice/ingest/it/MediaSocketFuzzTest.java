package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesvoice.ingest.audio.G711;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Fuzzes the three media WebSockets: a valid session of each protocol, then seeded random and structured mutations
 * (cut or garbled JSON, wrong types, huge numbers, bad base64, odd-length PCM, binary frames on JSON protocols, unknown
 * events, start/media/stop out of order, oversized frames, unicode junk). Every connection must end with a documented
 * close code (README "Close codes") or go on normally; none may hang or end with an internal error (1011) or without a
 * close frame; no call stays live; and a valid call afterwards works. {@code -Dsva.badinput.fuzz=N} sets the
 * connections per protocol.
 */
@ExtendWith(LocalStackExtension.class)
class MediaSocketFuzzTest {

  /** System property: connections per protocol. */
  static final String FUZZ_PROPERTY = "sva.badinput.fuzz";
  private static final Set<Integer> DOCUMENTED = Set.of(1000, 1003, 1007, 1008, 1009, 4408);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int MAX_FRAME = 8192;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static IngestInstance ingest;
  private static KafkaStack stack;

  enum Protocol { TWILIO, VOXIMPLANT, PCM }

  enum Mutation {
    TRUNCATED_JSON, GARBLED_JSON, WRONG_TYPE, HUGE_NUMBER, BAD_BASE64, ODD_LENGTH_PCM, BINARY_ON_JSON, UNKNOWN_EVENT,
    OUT_OF_ORDER, OVERSIZED_FRAME, UNICODE_JUNK, EMPTY_OR_BARE_JSON, DEEP_NESTING, RANDOM_TEXT, BAD_QUERY
  }

  /** One connection: where it goes and what it sends. */
  record Session(Protocol protocol, Mutation mutation, String path, List<Object> frames) {
  }

  @BeforeAll
  static void start(KafkaStack kafka) {
    stack = kafka;
    ingest = IngestInstance.start(kafka, "ingest-fuzz-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.idle-timeout", "1500ms", "sva.ingest.max-frame-bytes", String.valueOf(MAX_FRAME)))
        .awaitPartitions(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    ingest.close();
  }

  @Test
  void everyMutatedSessionEndsWithADocumentedCloseCodeAndAValidCallStillWorks() throws Exception {
    int perProtocol = Integer.getInteger(FUZZ_PROPERTY, 40);
    Random random = new Random(PoisonRecords.seed());
    List<Session> sessions = new ArrayList<>();
    for (Protocol p : Protocol.values()) {
      for (int i = 0; i < perProtocol; i++) {
        sessions.add(mutate(p, Mutation.values()[i % Mutation.values().length], new Random(random.nextLong())));
      }
    }
    BadInputReport report = new BadInputReport("ingest-audio-media-fuzz",
        "mutated sessions on /media/twilio, /media/voximplant, /media/pcm");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Session s : sessions) {
        done.add(pool.submit(() -> run(s, report)));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    Instant deadline = Instant.now().plus(WAIT);
    while (ingest.bean(LiveCalls.class).size() > 0 && Instant.now().isBefore(deadline)) {
      IngestInstance.sleep(50);
    }
    if (ingest.bean(LiveCalls.class).size() > 0) {
      report.mishandled("LIVE_CALLS_AFTER_FUZZ", ingest.bean(LiveCalls.class).size() + " calls still live");
    }
    report.write();

    // the service is still up: a valid call after the fuzz streams normally
    String callId = "call-after-fuzz-" + UUID.randomUUID();
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(callId, ingest.token(callId)));
      byte[] frame = G711.pcm16ToMulaw(TwilioStreamTest.tone(8000, 20, 0.1));
      for (int i = 0; i < 10; i++) {
        twilio.send(TwilioStreamTest.media(callId, i, frame));
      }
      twilio.send(TwilioStreamTest.stop(callId));
      assertThat(twilio.awaitClose(WAIT).getCode()).isEqualTo(1000);
    }
    assertThat(CallReader.read(stack, Topics.AUDIO_IN, callId, AudioChunk.class, l -> l.size() >= 10, WAIT))
        .hasSize(10);
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).isEqualTo(sessions.size());
  }

  private static void run(Session s, BadInputReport report) {
    String kind = s.protocol() + " " + s.mutation();
    try (WsTestClient client = WsTestClient.connect(ingest.ws(s.path()))) {
      for (Object frame : s.frames()) {
        if (frame instanceof byte[] b) {
          client.send(b);
        } else {
          client.send((String) frame);
        }
      }
      CloseStatus status;
      try {
        status = client.awaitClose(WAIT);
      } catch (AssertionError e) {
        String m = String.valueOf(e.getMessage());
        if (m.matches("(?s).*\\b4\\d\\d\\b.*") && !m.contains("TimeoutException")) {
          report.handled(kind, "refused at the handshake (4xx)");
        } else {
          report.mishandled(kind, "no close: " + m + " after " + describe(s));
        }
        return;
      }
      if (DOCUMENTED.contains(status.getCode())) {
        report.handled(kind, "close " + status.getCode());
      } else {
        report.mishandled(kind, "close " + status.getCode() + " (" + status.getReason() + ") after " + describe(s));
      }
    } catch (RuntimeException e) {
      report.mishandled(kind, e + " after " + describe(s));
    }
  }

  private static String describe(Session s) {
    StringBuilder b = new StringBuilder(s.path().replaceAll("token=[^&]*", "token=…")).append(" [");
    for (Object f : s.frames()) {
      String one = f instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : (String) f;
      b.append(one.length() > 160 ? one.substring(0, 160) + "…(" + one.length() + ")" : one).append(" | ");
    }
    return b.append("]").toString();
  }

  // ---- sessions ----

  static Session mutate(Protocol protocol, Mutation mutation, Random r) {
    String callId = "fuzz-" + UUID.randomUUID();
    String token = ingest.token(callId);
    List<Object> frames = valid(protocol, callId, token, r);
    String path = switch (protocol) {
      case TWILIO -> "/media/twilio";
      case VOXIMPLANT -> "/media/voximplant";
      case PCM -> "/media/pcm?rate=8000&token=" + token;
    };
    int last = frames.size() - 1;
    int any = r.nextInt(frames.size());
    int text = textFrame(frames, r);
    switch (mutation) {
      case TRUNCATED_JSON -> {
        String f = (String) frames.get(text);
        frames.set(text, f.substring(0, r.nextInt(Math.max(1, f.length() - 1))));
      }
      case GARBLED_JSON -> {
        char[] c = ((String) frames.get(text)).toCharArray();
        for (int n = 1 + r.nextInt(6); n > 0; n--) {
          String noise = "{}[]\":,\\x0 ";
          c[r.nextInt(c.length)] = noise.charAt(r.nextInt(noise.length()));
        }
        frames.set(text, new String(c));
      }
      case WRONG_TYPE -> frames.set(text, replaceRandomValue((String) frames.get(text), r, false));
      case HUGE_NUMBER -> frames.set(text, replaceRandomValue((String) frames.get(text), r, true));
      case BAD_BASE64 -> {
        String junk = List.of("***not base64***", "abc", "====", "QUJD\u00e9", "%%%%", "A", " ").get(r.nextInt(7));
        if (protocol == Protocol.PCM) {
          frames.add(1, "{\"event\":\"media\",\"media\":{\"payload\":\"" + junk + "\"}}");
        } else {
          frames.set(1, ((String) frames.get(1)).replaceFirst("\"payload\":\"[^\"]*\"", "\"payload\":\"" + junk + "\""));
        }
      }
      case ODD_LENGTH_PCM -> {
        byte[] odd = new byte[2 * r.nextInt(200) + 1];
        r.nextBytes(odd);
        if (protocol == Protocol.PCM) {
          frames.set(1, odd);
        } else {
          // Voximplant PCM16 (and Twilio's mu-law, where any length is whole samples)
          frames.set(0, ((String) frames.get(0)).replace("\"ULAW\"", "\"PCM16\""));
          frames.set(1, ((String) frames.get(1)).replaceFirst("\"payload\":\"[^\"]*\"",
              "\"payload\":\"" + Base64.getEncoder().encodeToString(odd) + "\""));
        }
      }
      case BINARY_ON_JSON -> {
        byte[] b = new byte[r.nextInt(400)];
        r.nextBytes(b);
        frames.add(1 + r.nextInt(frames.size() - 1), b);
      }
      case UNKNOWN_EVENT -> frames.add(1 + r.nextInt(frames.size() - 1),
          "{\"event\":\"" + List.of("teleport", "MEDIA", "", "start ", "mark\u0000", "clear", "connected2")
              .get(r.nextInt(7)) + "\",\"streamSid\":\"MZ1\"}");
      case OUT_OF_ORDER -> {
        switch (r.nextInt(4)) {
          case 0 -> frames.add(0, frames.remove(1));            // media before start
          case 1 -> frames.add(1, frames.get(0));               // a second start
          case 2 -> frames.add(0, frames.remove(last));         // stop first
          default -> frames.add(frames.get(1));                 // media after stop
        }
      }
      case OVERSIZED_FRAME -> {
        int size = MAX_FRAME + 1 + r.nextInt(4 * MAX_FRAME);
        if (r.nextBoolean() || protocol != Protocol.PCM) {
          byte[] big = new byte[size];
          r.nextBytes(big);
          frames.add(1, protocol == Protocol.PCM ? evenLength(big)
              : "{\"event\":\"media\",\"media\":{\"payload\":\"" + Base64.getEncoder().encodeToString(big) + "\"}}");
        } else {
          frames.add(1, "{\"event\":\"dtmf\",\"digits\":\"" + "5".repeat(size) + "\"}");
        }
      }
      case UNICODE_JUNK -> {
        String junk = unicodeJunk(r);
        if (r.nextBoolean()) {
          frames.add(1 + r.nextInt(frames.size() - 1), junk);
        } else {
          String f = (String) frames.get(text);
          int at = f.indexOf('"', f.indexOf(':') + 1) + 1;
          frames.set(text, f.substring(0, at) + junk.replace("\\", "").replace("\"", "") + f.substring(at));
        }
      }
      case EMPTY_OR_BARE_JSON -> frames.add(1 + r.nextInt(frames.size() - 1),
          List.of("", "null", "[]", "{}", "{\"event\":null}", "0", "\"start\"", "{\"event\":{}}").get(r.nextInt(8)));
      case DEEP_NESTING -> frames.add(1 + r.nextInt(frames.size() - 1), "[".repeat(2000 + r.nextInt(3000))
          + "]".repeat(r.nextInt(2)));
      case RANDOM_TEXT -> {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        frames.add(any == 0 ? 1 : any, new String(b, StandardCharsets.ISO_8859_1));
      }
      case BAD_QUERY -> {
        String rate = List.of("abc", "0", "-8000", "99999999999", "44100", "8000.5", "", "16000&rate=8000")
            .get(r.nextInt(8));
        path = switch (protocol) {
          case PCM -> "/media/pcm?rate=" + rate + "&token=" + token;
          case TWILIO -> "/media/twilio?token=" + List.of("", "x.y", "%00", token + "x").get(r.nextInt(4));
          case VOXIMPLANT -> "/media/voximplant?callId=" + List.of("", "%E2%80%AE", "x".repeat(3000))
              .get(r.nextInt(3));
        };
      }
      default -> throw new IllegalStateException(mutation.name());
    }
    return new Session(protocol, mutation, path, frames);
  }

  private static List<Object> valid(Protocol protocol, String callId, String token, Random r) {
    List<Object> frames = new ArrayList<>();
    byte[] mulaw = G711.pcm16ToMulaw(TwilioStreamTest.tone(8000, 20, 0.1));
    switch (protocol) {
      case TWILIO -> {
        frames.add(TwilioStreamTest.start(callId, token));
        for (int i = 0; i < 3; i++) {
          frames.add(TwilioStreamTest.media(callId, i, mulaw));
        }
        frames.add(TwilioStreamTest.stop(callId));
      }
      case VOXIMPLANT -> {
        frames.add("{\"event\":\"start\",\"sequenceNumber\":0,\"start\":{\"mediaFormat\":{\"encoding\":\"ULAW\","
            + "\"sampleRate\":8000},\"tag\":\"customer\",\"customParameters\":{\"token\":\"" + token
            + "\",\"leadId\":\"lead-9\"}}}");
        for (int i = 0; i < 3; i++) {
          frames.add("{\"event\":\"media\",\"sequenceNumber\":" + (i + 1) + ",\"media\":{\"tag\":\"customer\","
              + "\"chunk\":" + (i + 1) + ",\"timestamp\":" + i * 20 + ",\"payload\":\""
              + Base64.getEncoder().encodeToString(mulaw) + "\"}}");
        }
        frames.add("{\"event\":\"stop\",\"sequenceNumber\":4,\"stop\":{\"mediaInfo\":{\"duration\":60,"
            + "\"bytesSent\":480}}}");
      }
      case PCM -> {
        frames.add("{\"event\":\"mark\",\"name\":\"hello\"}");
        for (int i = 0; i < 3; i++) {
          frames.add(TwilioStreamTest.tone(8000, 20, 0.1));
        }
        frames.add("{\"event\":\"dtmf\",\"digits\":\"" + r.nextInt(10) + "\"}");
        frames.add("{\"event\":\"stop\"}");
      }
      default -> throw new IllegalStateException();
    }
    return frames;
  }

  private static int textFrame(List<Object> frames, Random r) {
    List<Integer> texts = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i) instanceof String) {
        texts.add(i);
      }
    }
    return texts.get(r.nextInt(texts.size()));
  }

  private static byte[] evenLength(byte[] b) {
    return b.length % 2 == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
  }

  /** Replaces one value anywhere in the frame's JSON with another type, or with an absurd number. */
  static String replaceRandomValue(String frame, Random r, boolean hugeNumber) {
    JsonNode root;
    try {
      root = JSON.readTree(frame);
    } catch (Exception e) {
      return frame;
    }
    List<Object[]> slots = new ArrayList<>();
    collect(root, slots);
    if (slots.isEmpty()) {
      return frame;
    }
    Object[] slot = slots.get(r.nextInt(slots.size()));
    JsonNode value = hugeNumber ? hugeNumber(r) : wrongType(r);
    if (slot[0] instanceof ObjectNode o) {
      o.set((String) slot[1], value);
    } else if (slot[0] instanceof ArrayNode a) {
      a.set((Integer) slot[1], value);
    }
    return root.toString();
  }

  private static void collect(JsonNode node, List<Object[]> slots) {
    if (node instanceof ObjectNode o) {
      o.fieldNames().forEachRemaining(name -> {
        slots.add(new Object[] {o, name});
        collect(o.get(name), slots);
      });
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        slots.add(new Object[] {a, i});
        collect(a.get(i), slots);
      }
    }
  }

  private static JsonNode wrongType(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> NODES.numberNode(r.nextInt());
      case 1 -> NODES.textNode("x" + r.nextInt(100));
      case 2 -> NODES.booleanNode(r.nextBoolean());
      case 3 -> NODES.nullNode();
      case 4 -> NODES.arrayNode().add(1).add("two");
      case 5 -> NODES.objectNode().put("nested", true);
      case 6 -> NODES.numberNode(-1.5);
      default -> NODES.textNode("");
    };
  }

  private static JsonNode hugeNumber(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> NODES.numberNode(Long.MAX_VALUE);
      case 1 -> NODES.numberNode(Long.MIN_VALUE);
      case 2 -> NODES.numberNode(1e308);
      case 3 -> NODES.numberNode(new BigDecimal("1e400"));
      case 4 -> NODES.numberNode(new java.math.BigInteger("9".repeat(50 + r.nextInt(2000))));
      default -> NODES.textNode("9".repeat(30));
    };
  }

  private static String unicodeJunk(Random r) {
    String[] parts = {"\u0000", "\u202e", "\ud83d\ude00", "\ufffd", "\\ud800", "\uffff", "\u200b", "\u0301\u0301",
        "Ω", "日本語", "\r\n", "\t", "\\u0000", "\u00a0", "\ud800"};
    StringBuilder b = new StringBuilder();
    for (int n = 1 + r.nextInt(40); n > 0; n--) {
      b.append(parts[r.nextInt(parts.length)]);
    }
    return b.toString();
  }
}
