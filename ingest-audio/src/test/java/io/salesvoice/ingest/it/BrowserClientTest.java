package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.audio.Pcm16;
import io.salesvoice.ingest.live.CallPartitions;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser test client in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against
 * a real ingest-audio on the real broker. Chromium's fake microphone plays a recorded sentence; the test plays the
 * rest of the pipeline (stt-worker, dialog-worker, tts-worker) by reading and writing their topics.
 */
@ExtendWith(LocalStackExtension.class)
class BrowserClientTest {

  /** Everything on a loaded 2-core machine gets this long; every wait ends as soon as its condition holds. */
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String CHROMIUM = System.getProperty("sva.test.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getProperty("sva.test.chromedriver", "/usr/bin/chromedriver");

  private static IngestInstance ingest;
  private static IngestInstance strict;
  private static StackClients clients;
  private static KafkaStack stack;
  private static String apiKey;
  private WebDriver browser;

  @BeforeAll
  static void start(KafkaStack kafka) {
    assertThat(new File(CHROMIUM).canExecute()).as("Chromium is needed for this test: apt-get install chromium chromium-driver "
        + "(.ci/run installs it), or -Dsva.test.chromium=<path>").isTrue();
    assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver is needed for this test: apt-get install chromium-driver, "
        + "or -Dsva.test.chromedriver=<path>").isTrue();
    stack = kafka;
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    apiKey = HexFormat.of().formatHex(key);
    ingest = IngestInstance.start(kafka, "ingest-browser-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.api-key", apiKey, "sva.ingest.inbound-sample-rate", "16000"))
        .awaitPartitions(WAIT);
    clients = new StackClients(kafka);
  }

  @AfterAll
  static void stop() {
    // closing one Spring application stops Reactor Netty's shared event loops, so every instance closes at the end
    if (strict != null) {
      strict.close();
    }
    if (clients != null) {
      clients.close();
    }
    if (ingest != null) {
      ingest.close();
    }
  }

  @BeforeEach
  void openBrowser() throws Exception {
    Path wav = Path.of(getClass().getResource("/audio/browser-customer-16k-pcm16.wav").toURI());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        // the sentence once, then silence: a looping sentence would barge in on the agent's audio
        "--use-file-for-fake-audio-capture=" + wav + "%noloop",
        "--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage", "--window-size=1280,1400");
    if ("root".equals(System.getProperty("user.name"))) {
      options.addArguments("--no-sandbox");
    }
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      try {
        browser.manage().logs().get(LogType.BROWSER).forEach(e -> System.out.println("[browser] " + e));
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void aPersonTalksToTheAgentAndSeesTranscriptTurnSlotsAndLatencyAndHearsTheAgent() {
    String callId = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    browser.get(ingest.http() + "/client/#key=" + apiKey);
    awaitPage();
    // the key came in the fragment, is kept in the tab, and left the address bar
    assertThat(browser.findElement(By.id("api-key")).getAttribute("value")).isEqualTo(apiKey);
    assertThat(browser.getCurrentUrl()).doesNotContain(apiKey);

    WebElement callIdField = browser.findElement(By.id("call-id"));
    callIdField.clear();
    callIdField.sendKeys(callId);
    new Select(browser.findElement(By.id("language"))).selectByValue("en-US");
    browser.findElement(By.id("campaign-id")).sendKeys("browser-campaign");
    browser.findElement(By.id("start")).click();
    await("the call goes live", d -> "live".equals(attribute("status", "data-state")) || client("error") != null);
    assertThat(client("error")).as("page error").isNull();

    // the microphone's sentence reaches sva.audio.in as this call's 20 ms PCM16 chunks, then silence follows
    List<AudioChunk> chunks = CallReader.read(stack, Topics.AUDIO_IN, callId, AudioChunk.class,
        l -> l.size() >= 200, WAIT);
    assertThat(chunks.size()).as("chunks of the call on sva.audio.in").isGreaterThanOrEqualTo(200);
    for (int i = 0; i < chunks.size(); i++) {
      AudioChunk c = chunks.get(i);
      assertThat(c.getSeq()).isEqualTo(i);
      assertThat(c.getCodec()).isEqualTo(AudioCodec.PCM16);
      assertThat(c.getSampleRate()).isEqualTo(16000);
      assertThat(c.getDurationMs()).isEqualTo(20);
      assertThat(c.getMediaTimeMs()).isEqualTo(i * 20L);
    }
    assertThat(chunks.stream().mapToDouble(BrowserClientTest::rms).max().orElse(0))
        .as("the recorded speech, not silence, was captured").isGreaterThan(500);

    List<CallEvent> calls = CallReader.read(stack, Topics.CALLS, callId, CallEvent.class, l -> !l.isEmpty(), WAIT);
    CallStarted started = (CallStarted) calls.get(0).getEvent();
    assertThat(started.getProvider()).isEqualTo("pcm");
    assertThat(calls.get(0).getCampaignId()).isEqualTo("browser-campaign");

    // stt-worker's part: a partial, then the final transcript ending where the sentence ends in the media
    long endMs = 2800;
    String neighbour = neighbourOf(callId);
    clients.send(Topics.TRANSCRIPTS, neighbour, transcript(neighbour, "n-1", "words of another call", true, endMs));
    clients.send(Topics.TRANSCRIPTS, callId, transcript(callId, "u-1", "I would like two", false, 2000));
    clients.send(Topics.TRANSCRIPTS, callId, transcript(callId, "u-1", "I would like two licenses, please.", true,
        endMs));
    // dialog-worker's part: the answer in two chunks, with the slots it filled
    clients.send(Topics.DIALOG_TURNS, callId, turn(callId, 0, "Two licenses, noted.", false));
    clients.send(Topics.DIALOG_TURNS, callId, turn(callId, 1, "Shall I send the offer by email?", true));
    // tts-worker's part: one second of voice to the call's reply partition, in 100 ms chunks
    byte[] voice = tone(16000, 1000);
    for (int i = 0; i < 10; i++) {
      AudioChunk chunk = AudioChunk.newBuilder().setCallId(callId).setSeq(i).setChannel(Channel.AGENT)
          .setCodec(AudioCodec.PCM16).setSampleRate(16000).setMediaTimeMs(i * 100L).setDurationMs(100)
          .setData(ByteBuffer.wrap(voice, i * 3200, 3200)).setTurnId("turn-1").setLastOfTurn(i == 9)
          .setProducedAt(Instant.now()).build();
      clients.sendWithHeaders(new ProducerRecord<>(Topics.AUDIO_OUT, started.getReplyPartition(), callId, chunk));
    }

    await("the final transcript is shown", d -> text("conversation").contains("I would like two licenses, please."));
    await("the agent's turn is shown", d -> text("conversation").contains("Two licenses, noted.")
        && text("conversation").contains("Shall I send the offer by email?"));
    WebElement agent = browser.findElement(By.cssSelector("#conversation li.agent[data-turn-id='turn-1']"));
    assertThat(agent.getText()).contains("state qualify").contains("intent buy").contains("action SPEAK");
    await("the slots are shown", d -> slot("quantity").equals("2") && slot("product").equals("license"));
    await("the agent's audio was played", d -> statistic("stat-frames-played") >= 45
        && statistic("stat-marks") >= 1);
    assertThat(statistic("stat-frames-received")).isEqualTo(50);
    assertThat(statistic("stat-frames-played")).isLessThanOrEqualTo(50);
    assertThat(statistic("stat-clears")).isZero();
    assertThat(statistic("stat-frames-sent")).isGreaterThanOrEqualTo(200);
    await("every latency of the turn is measured", d -> !latency("transcript").isEmpty()
        && !latency("chunk").isEmpty() && !latency("v2v").isEmpty());
    assertThat(Long.parseLong(latency("transcript"))).isNotNegative();
    assertThat(Long.parseLong(latency("chunk"))).isNotNegative();
    assertThat(Long.parseLong(latency("v2v"))).isNotNegative();
    assertThat(text("latency")).contains("I would like two licenses, please.");
    // the live view kept to this call although the neighbour's transcript came first in the same partition
    assertThat(text("conversation")).doesNotContain("words of another call");

    browser.findElement(By.id("hang-up")).click();
    await("the call ends", d -> text("status").contains("Call ended (1000"));
    List<CallEvent> ended = CallReader.read(stack, Topics.CALLS, callId, CallEvent.class,
        l -> l.stream().anyMatch(e -> e.getEvent() instanceof CallEnded), WAIT);
    assertThat(ended).anySatisfy(e -> assertThat(e.getEvent()).isInstanceOf(CallEnded.class));
  }

  @Test
  void aWrongApiKeyIsShownAsAnError() {
    browser.get(ingest.http() + "/client/");
    awaitPage();
    browser.findElement(By.id("api-key")).sendKeys("not-the-key");
    browser.findElement(By.id("start")).click();
    await("the refusal is shown", d -> browser.findElement(By.id("error")).isDisplayed());
    assertThat(text("error")).contains("API key refused (401)").contains("X-Api-Key");
    assertThat(attribute("status", "data-state")).isEqualTo("idle");
    assertThat(browser.findElement(By.id("start")).isEnabled()).isTrue();
  }

  @Test
  void aCallTheEdgeEndsShowsItsCloseCodeAndReason() {
    // an edge that takes no frame as big as the page's 20 ms (640 bytes) ends the call at its first frame with 1009
    strict = IngestInstance.start(stack, "ingest-browser-strict", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.api-key", apiKey, "sva.ingest.inbound-sample-rate", "16000",
            "sva.ingest.max-frame-bytes", "600")).awaitPartitions(WAIT);
    {
      browser.get(strict.http() + "/client/#key=" + apiKey);
      awaitPage();
      browser.findElement(By.id("start")).click();
      await("the refusal is shown", d -> browser.findElement(By.id("error")).isDisplayed());
      assertThat(text("error")).contains("1009").contains("640").contains("a frame was too big");
      assertThat(((Number) ((JavascriptExecutor) browser).executeScript("return window.svaClient.closeCode"))
          .intValue()).isEqualTo(1009);
      await("the page is ready for another call", d -> browser.findElement(By.id("start")).isEnabled());
      assertThat(attribute("status", "data-state")).isEqualTo("idle");
    }
  }

  // ---- the page ----

  private void awaitPage() {
    await("the page is ready", d -> ((JavascriptExecutor) d).executeScript("return document.readyState")
        .equals("complete") && ((JavascriptExecutor) d).executeScript("return window.svaClient") != null);
  }

  private void await(String what, ExpectedCondition<Boolean> condition) {
    new WebDriverWait(browser, WAIT, Duration.ofMillis(200)).withMessage(() -> what + "; page: "
        + text("status") + " | " + text("error") + " | stats "
        + ((JavascriptExecutor) browser).executeScript("return JSON.stringify(window.svaClient.stats)"))
        .until(condition);
  }

  private Object client(String field) {
    return ((JavascriptExecutor) browser).executeScript("return window.svaClient." + field);
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getAttribute("textContent");
  }

  private String attribute(String id, String name) {
    return browser.findElement(By.id(id)).getAttribute(name);
  }

  private long statistic(String id) {
    return Long.parseLong(attribute(id, "data-value"));
  }

  private String slot(String name) {
    List<WebElement> rows = browser.findElements(By.cssSelector("#slots tr[data-slot='" + name + "'] td"));
    return rows.isEmpty() ? "" : rows.get(0).getAttribute("textContent");
  }

  private String latency(String cell) {
    List<WebElement> cells = browser.findElements(
        By.cssSelector("#latency tr[data-utterance-id='u-1'] td[data-cell='" + cell + "']"));
    return cells.isEmpty() ? "" : cells.get(0).getAttribute("data-ms");
  }

  // ---- the rest of the pipeline, played by the test ----

  private static Transcript transcript(String callId, String utteranceId, String text, boolean isFinal, long endMs) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(utteranceId).setText(text).setIsFinal(isFinal)
        .setLanguage("en-US").setConfidence(0.93f).setStartMs(200).setEndMs(endMs).setEngine("test")
        .setChannel(Channel.CUSTOMER).setSpeechEndedAt(Instant.now()).setProducedAt(Instant.now()).build();
  }

  private static DialogTurn turn(String callId, int index, String text, boolean last) {
    return DialogTurn.newBuilder().setCallId(callId).setTurnId("turn-1").setChunkIndex(index).setText(text)
        .setLastChunk(last).setAction(DialogAction.SPEAK).setState("qualify").setIntent("buy")
        .setSlots(Map.of("quantity", "2", "product", "license")).setLanguage("en-US").setEngine("test")
        .setInReplyTo("u-1").setProducedAt(Instant.now()).build();
  }

  /** A callId whose transcripts share this call's partition. */
  private static String neighbourOf(String callId) {
    int partition = CallPartitions.partitionFor(callId, 12);
    for (int i = 0; ; i++) {
      String candidate = "neighbour-" + i + "-" + UUID.randomUUID();
      if (CallPartitions.partitionFor(candidate, 12) == partition) {
        return candidate;
      }
    }
  }

  private static byte[] tone(int rate, int ms) {
    short[] s = new short[rate * ms / 1000];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (0.2 * 32767 * Math.sin(2 * Math.PI * 330 * i / rate));
    }
    return Pcm16.toBytes(s);
  }

  private static double rms(AudioChunk chunk) {
    ByteBuffer data = chunk.getData().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    int n = data.remaining() / 2;
    for (int i = 0; i < n; i++) {
      double v = data.getShort();
      sum += v * v;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }
}
