package io.salesvoice.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.deadletter.DeadLetter;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.tts.audio.AudioEncoder;
import io.salesvoice.tts.audio.OutputFormat;
import io.salesvoice.tts.audio.Signals;
import io.salesvoice.tts.engine.ESpeakNgTextToSpeech;
import io.salesvoice.tts.engine.TextToSpeech;
import io.salesvoice.tts.text.TextNormalizer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker's stages against the real in-process broker and registry. */
@ExtendWith(LocalStackExtension.class)
class TtsStagesTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private TtsStages stages;
  private TextToSpeech engine;
  private String turns;
  private String calls;
  private String audioOut;

  TtsStagesTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void connect() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    turns = clients.createTopicWithDeadLetters("turns", 2);
    calls = clients.createTopicWithDeadLetters("calls", 2);
    audioOut = clients.createTopicWithDeadLetters("audio-out", 4);
  }

  @AfterEach
  void disconnect() {
    if (stages != null) {
      stages.close();
    }
    if (engine != null) {
      engine.close();
    }
    sender.close();
    clients.close();
  }

  private void start(TextToSpeech engine) {
    this.engine = engine;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CallRegistry registry = new CallRegistry(1000, Duration.ofHours(1), Clock.systemUTC());
    OutputFormat fallback = OutputFormat.of(AudioCodec.PCM16, 16000);
    TurnSpeaker speaker = new TurnSpeaker(engine, new TextNormalizer(), registry, new AudioCache(0, 0),
        new TtsMetrics(meters), new TurnSpeaker.Settings(fallback, Duration.ofSeconds(2)));
    stages = new TtsStages(speaker, registry, fallback, clients.settings(), sender, meters,
        new TtsStages.Settings("tts-test-" + UUID.randomUUID(), "i1", "earliest", 4,
            new TtsStages.TopicNames(turns, calls, audioOut)), p -> { });
    stages.start();
  }

  @Test
  void russianTurnIsSpokenInTheCallsCodecToTheGatewaysPartition() {
    assumeTrue(ESpeakNgTextToSpeech.isInstalled("espeak-ng"), "apt-get install espeak-ng");
    start(new ESpeakNgTextToSpeech(ESpeakNgTextToSpeech.Settings.defaults()));
    clients.send(calls, "call-ru", started("call-ru", AudioCodec.MULAW, 8000, 2));
    clients.send(turns, "call-ru", turn("call-ru", "t1", 0, "Здравствуйте! Меня зовут Анна.", false, -1, "ru-RU"));
    clients.send(turns, "call-ru", turn("call-ru", "t1", 1, "Вам удобно говорить?", true, -1, "ru-RU"));

    List<AudioChunk> audio = readUntilLastOfTurn(1);

    assertThat(audio).allSatisfy(a -> {
      assertThat(a.getCodec()).isEqualTo(AudioCodec.MULAW);
      assertThat(a.getSampleRate()).isEqualTo(8000);
      assertThat(a.getData().remaining()).isEqualTo(160);
      assertThat(a.getTurnId()).isEqualTo("t1");
    });
    for (int i = 0; i < audio.size(); i++) {
      assertThat(audio.get(i).getSeq()).isEqualTo(i);
      assertThat(audio.get(i).getMediaTimeMs()).isEqualTo(20L * i);
    }
    assertThat(audio).extracting(AudioChunk::getLastOfTurn).containsOnlyOnce(true);
    short[] pcm = AudioEncoder.decode(join(audio), OutputFormat.telephone());
    double seconds = pcm.length / 8000.0;
    assertThat(seconds).isBetween(2.0, 8.0);
    assertThat(Signals.rms(pcm)).isGreaterThan(300);
    assertThat(Signals.voicedFraction(pcm, 8000, 200)).isGreaterThan(0.4);
  }

  @Test
  void bargeInCancelsTheRestOfTheTurnAndTheNextTurnContinuesTheCall() {
    start(new ToneEngine(Duration.ofMillis(20)));   // speaks in real time: 100 ms per word
    clients.send(calls, "call-b", started("call-b", AudioCodec.MULAW, 8000, 1));
    clients.send(turns, "call-b", turn("call-b", "t1", 0, "word ".repeat(100).trim(), false, 1, "en"));

    List<ConsumerRecord<String, Object>> early = clients.read(audioOut, 5, WAIT);
    assertThat(early).hasSizeGreaterThanOrEqualTo(5);
    clients.send(calls, "call-b", bargeIn("call-b", "t1"));
    clients.send(turns, "call-b", turn("call-b", "t1", 1, "the rest nobody hears", true, 1, "en"));
    clients.send(turns, "call-b", turn("call-b", "t2", 0, "sorry go ahead", true, 1, "en"));

    List<AudioChunk> audio = readUntilLastOfTurn(1);
    List<AudioChunk> t1 = audio.stream().filter(a -> a.getTurnId().equals("t1")).toList();
    List<AudioChunk> t2 = audio.stream().filter(a -> a.getTurnId().equals("t2")).toList();
    assertThat(t1.size()).as("frames of t1 before the barge-in (of 500)").isBetween(5, 499);
    assertThat(t1).extracting(AudioChunk::getLastOfTurn).containsOnly(false);
    assertThat(t2).hasSize(15);   // three words
    assertThat(t2.get(0).getSeq()).isEqualTo(t1.size());
    assertThat(audio).extracting(AudioChunk::getSeq).isSorted();
  }

  @Test
  void aRedeliveredTurnChunkIsNotSpokenTwice() {
    start(new ToneEngine(Duration.ZERO));
    DialogTurn once = turn("call-d", "t1", 0, "hello there", true, 0, "en");
    clients.send(calls, "call-d", started("call-d", AudioCodec.PCM16, 16000, 0));
    clients.send(turns, "call-d", once);
    clients.send(turns, "call-d", once);   // the dialog worker's at-least-once write, twice
    clients.send(turns, "call-d", turn("call-d", "t2", 0, "bye", true, 0, "en"));

    List<AudioChunk> audio = readUntilLastOfTurn(2);
    assertThat(audio).extracting(AudioChunk::getTurnId).filteredOn("t1"::equals).hasSize(10);
    assertThat(audio).extracting(AudioChunk::getTurnId).filteredOn("t2"::equals).hasSize(5);
    assertThat(audio).extracting(AudioChunk::getSeq).containsExactly(
        0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
  }

  @Test
  void aTurnTheEngineCannotSpeakIsDeadLetteredAndTheCallGoesOn() {
    assumeTrue(ESpeakNgTextToSpeech.isInstalled("espeak-ng"), "apt-get install espeak-ng");
    start(new ESpeakNgTextToSpeech(ESpeakNgTextToSpeech.Settings.defaults()));
    DialogTurn badVoice = DialogTurn.newBuilder(turn("call-x", "t1", 0, "hello", true, 3, "en"))
        .setVoice("klingon-xx").build();
    clients.send(turns, "call-x", badVoice);
    clients.send(turns, "call-x", turn("call-x", "t2", 0, "hello", true, 3, "en"));

    List<AudioChunk> audio = readUntilLastOfTurn(1);
    assertThat(audio).extracting(AudioChunk::getTurnId).containsOnly("t2");
    DeadLetter letter = (DeadLetter) clients.read(turns + ".dlq", 1, WAIT).get(0).value();
    assertThat(letter.getReason()).contains("processing failed").contains("klingon-xx");
  }

  /** Reads the output until {@code turns} chunks with {@code lastOfTurn} arrived, checks the key, returns the audio. */
  private List<AudioChunk> readUntilLastOfTurn(int turnEnds) {
    Instant deadline = Instant.now().plus(WAIT);
    List<ConsumerRecord<String, Object>> records = List.of();
    while (Instant.now().isBefore(deadline)) {
      records = clients.read(audioOut, Integer.MAX_VALUE, Duration.ofSeconds(2));
      long ends = records.stream().filter(r -> ((AudioChunk) r.value()).getLastOfTurn()).count();
      if (ends >= turnEnds) {
        break;
      }
    }
    records.forEach(r -> {
      AudioChunk a = (AudioChunk) r.value();
      assertThat(r.key()).isEqualTo(a.getCallId());
      assertThat(r.partition()).as("the gateway's reply partition").isEqualTo(expectedPartition(a.getCallId()));
    });
    return records.stream().map(r -> (AudioChunk) r.value()).toList();
  }

  private static int expectedPartition(String callId) {
    return switch (callId) {
      case "call-ru" -> 2;
      case "call-b" -> 1;
      case "call-x" -> 3;
      default -> 0;
    };
  }

  private static byte[] join(List<AudioChunk> audio) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AudioChunk a : audio) {
      ByteBuffer b = a.getData().duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  static CallEvent started(String callId, AudioCodec codec, int rate, int replyPartition) {
    return CallEvent.newBuilder()
        .setCallId(callId)
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEvent(CallStarted.newBuilder()
            .setDirection(CallDirection.values()[0])
            .setProvider("simulated")
            .setLanguage("ru-RU")
            .setCodec(codec)
            .setSampleRate(rate)
            .setGatewayInstance("gw-1")
            .setReplyPartition(replyPartition)
            .build())
        .build();
  }

  static CallEvent bargeIn(String callId, String turnId) {
    return CallEvent.newBuilder()
        .setCallId(callId)
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEvent(BargeIn.newBuilder().setTurnId(turnId).setMediaTimeMs(1000).setPlayedMs(100).build())
        .build();
  }

  static DialogTurn turn(String callId, String turnId, int chunk, String text, boolean last, int replyPartition,
                         String language) {
    return DialogTurn.newBuilder()
        .setCallId(callId)
        .setTurnId(turnId)
        .setChunkIndex(chunk)
        .setText(text)
        .setLastChunk(last)
        .setAction(DialogAction.SPEAK)
        .setLanguage(language)
        .setEngine("script")
        .setReplyPartition(replyPartition)
        .setProducedAt(Instant.now())
        .build();
  }
}
