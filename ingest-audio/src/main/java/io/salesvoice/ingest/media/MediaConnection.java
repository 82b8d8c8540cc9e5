package io.salesvoice.ingest.media;

import io.salesvoice.ingest.audio.AudioConverter;
import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.ingest.audio.BargeInDetector;
import io.salesvoice.ingest.call.CallRecords;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.ingest.playback.Playback;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One media connection = one call: authenticates the stream, writes {@code CallStarted} naming this instance and its
 * reply partition, the customer's audio as PCM16 {@code AudioChunk}s to {@code sva.audio.in} (key callId, in order,
 * one producer flux per call), DTMF and barge-ins to {@code sva.calls}, and {@code CallEnded} with the reason when the
 * stream stops, the socket closes, a frame is refused or nothing arrives for the idle timeout. Everything received
 * before a failure is published before the call ends.
 */
final class MediaConnection {

  private static final Logger log = LoggerFactory.getLogger(MediaConnection.class);
  /** Keys of CallStarted's own fields; everything else stays in its parameters map. */
  private static final List<String> RESERVED = List.of("callId", "campaignId", "leadId", "phoneNumber", "language",
      "scriptId", "direction");

  private final WebSocketSession session;
  private final MediaProtocol protocol;
  private final String handshakeToken;
  private final MediaSocketHandler.Edge edge;
  private final AudioFormat inboundFormat;
  private final Sinks.Many<OutFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
  private final Queue<Long> receivedAt = new ConcurrentLinkedQueue<>();
  private final TraceContext trace = TraceContext.newTrace();
  private final BargeInDetector bargeIn;

  private CallRecords records;
  private LiveCalls.LiveCall live;
  private AudioConverter converter;
  private long startedAtNanos;
  private long seq;
  private long mediaSamples;
  private volatile boolean ended;
  private volatile boolean idleTimedOut;
  private volatile boolean agentHungUp;
  private volatile long lastFrameNanos;
  private volatile CloseStatus closeStatus = CloseStatus.NORMAL;
  /** Set once the stream was refused: later frames are discarded while the close handshake completes. */
  private volatile boolean refusedAlready;

  MediaConnection(WebSocketSession session, MediaProtocol protocol, String handshakeToken,
                  MediaSocketHandler.Edge edge) {
    this.session = session;
    this.protocol = protocol;
    this.handshakeToken = handshakeToken;
    this.edge = edge;
    this.inboundFormat = new AudioFormat(AudioCodec.PCM16, edge.properties().inboundSampleRate());
    this.bargeIn = new BargeInDetector(edge.properties().bargeIn().thresholdDbfs(),
        (int) edge.properties().bargeIn().minSpeech().toMillis());
  }

  Mono<Void> run() {
    lastFrameNanos = System.nanoTime();
    Duration idle = edge.properties().idleTimeout();
    Disposable watchdog = Flux.interval(idle.dividedBy(4).isZero() ? idle : idle.dividedBy(4))
        .subscribe(tick -> {
          if (System.nanoTime() - lastFrameNanos > idle.toNanos() && !idleTimedOut && !refusedAlready) {
            idleTimedOut = true;
            closeNow(new CloseStatus(MediaProtocolException.IDLE_TIMEOUT, "no media for " + idle.toSeconds() + " s"));
          }
        });
    // once the stream is refused, frames still in flight are dropped; LingeringClose keeps the socket readable until
    // the client answers the close frame
    Flux<OutboundRecord> records = Flux.concat(
            Flux.defer(() -> handle(protocol.onConnect())).onErrorResume(this::failed),
            session.receive()
                .concatMap(message -> refusedAlready
                    ? Flux.<OutboundRecord>empty()
                    : Flux.defer(() -> handle(decode(message))).onErrorResume(this::failed)))
        .concatWith(Flux.defer(() -> {
          if (idleTimedOut) {
            return idle();
          }
          return agentHungUp
              ? end(CallEndReason.AGENT_HANGUP, "the agent ended the call")
              : end(CallEndReason.CUSTOMER_HANGUP, "connection closed");
        }));
    Mono<Void> publish = edge.sender().send(records, trace)
        .doOnNext(metadata -> {
          if (metadata.topic().equals(Topics.AUDIO_IN)) {
            Long at = receivedAt.poll();
            if (at != null) {
              edge.metrics().published(Duration.ofNanos(System.nanoTime() - at));
            }
          }
        })
        .then()
        .onErrorResume(e -> {
          log.warn("Call {}: publishing failed, closing the stream: {}", callIdForLog(), e.toString());
          closeStatus = new CloseStatus(MediaProtocolException.INTERNAL_ERROR, "the pipeline is unavailable");
          return Mono.empty();
        })
        .doFinally(signal -> {
          watchdog.dispose();
          if (live != null) {
            live.playback().close();
            edge.calls().remove(live);
          }
        });
    Mono<Void> send = session.send(outbound.asFlux().map(this::toMessage)).onErrorResume(e -> Mono.empty());
    // the close frame carries our status only if it goes before the outbound flux completes
    return Mono.when(publish.then(Mono.defer(() -> session.close(closeStatus)))
        .doFinally(s -> outbound.tryEmitComplete()), send);
  }

  /** The most bytes a close reason may have: a close frame is a control frame of at most 125 bytes, 2 for the code. */
  static final int MAX_CLOSE_REASON_BYTES = 123;

  /**
   * A close status whose reason fits a close frame. Reasons quote what the client sent (a parser's message, an event
   * name); a longer one would make the close frame invalid, and the client would see a broken connection, not the code.
   */
  static CloseStatus closeStatus(int code, String reason) {
    if (reason == null) {
      return new CloseStatus(code);
    }
    if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES) {
      return new CloseStatus(code, reason);
    }
    String ellipsis = "…";
    int budget = MAX_CLOSE_REASON_BYTES - ellipsis.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      String one = new String(Character.toChars(cp));
      int n = one.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes + n > budget) {
        break;
      }
      kept.append(one);
      bytes += n;
      i += Character.charCount(cp);
    }
    return new CloseStatus(code, kept + ellipsis);
  }

  /**
   * The agent's last turn ended the call and the caller has heard it: the stream is closed normally, which makes the
   * provider hang up (Voximplant's scenario hangs up when its socket closes; Twilio ends the stream and, with nothing
   * after {@code <Connect>} in the TwiML, the call), and {@code CallEnded} says the agent hung up.
   */
  private void hangUp() {
    if (ended || refusedAlready || idleTimedOut) {
      return;
    }
    agentHungUp = true;
    log.info("Call {}: the agent ended the call, closing the stream", callIdForLog());
    closeNow(new CloseStatus(CloseStatus.NORMAL.getCode(), "the agent ended the call"));
  }

  private void closeNow(CloseStatus status) {
    closeStatus = status;
    session.close(status).subscribe(v -> { }, e -> { });
  }

  private Flux<OutboundRecord> idle() {
    edge.metrics().rejected(protocol.provider(), "idle_timeout");
    log.info("Call {}: closing the stream ({}): {}", callIdForLog(), closeStatus.getCode(), closeStatus.getReason());
    return end(CallEndReason.IDLE_TIMEOUT, closeStatus.getReason());
  }

  private List<MediaEvent> decode(WebSocketMessage message) {
    long now = System.nanoTime();
    lastFrameNanos = now;
    if (ended) {
      return List.of();
    }
    try {
      return decode(message, now);
    } catch (MediaProtocolException e) {
      return List.of(new MediaEvent.Rejected(e));
    }
  }

  private List<MediaEvent> decode(WebSocketMessage message, long now) {
    int size = message.getPayload().readableByteCount();
    if (size > edge.properties().maxFrameBytes()) {
      throw new MediaProtocolException(MediaProtocolException.TOO_BIG, "frame_too_big",
          "frame of " + size + " bytes exceeds the limit of " + edge.properties().maxFrameBytes());
    }
    List<MediaEvent> events;
    if (message.getType() == WebSocketMessage.Type.TEXT) {
      events = protocol.onText(message.getPayloadAsText());
    } else if (message.getType() == WebSocketMessage.Type.BINARY) {
      byte[] bytes = new byte[size];
      message.getPayload().read(bytes);
      events = protocol.onBinary(bytes);
    } else {
      return List.of();
    }
    for (MediaEvent e : events) {
      if (e instanceof MediaEvent.Audio) {
        receivedAt.add(now);
      }
    }
    return events;
  }

  private Flux<OutboundRecord> handle(List<MediaEvent> events) {
    return Flux.fromIterable(events)
        .concatMap(e -> Flux.defer(() -> handle(e)).onErrorResume(MediaProtocolException.class, this::failed));
  }

  private Flux<OutboundRecord> handle(MediaEvent event) {
    if (ended) {
      return Flux.empty();
    }
    if (event instanceof MediaEvent.Rejected rejected) {
      return failed(rejected.error());
    }
    if (event instanceof MediaEvent.Started started) {
      return start(started);
    }
    if (records == null && !(event instanceof MediaEvent.Ignored)) {
      throw new MediaProtocolException(MediaProtocolException.POLICY_VIOLATION, "before_start",
          "media before the stream started");
    }
    if (event instanceof MediaEvent.Audio audio) {
      return Flux.fromIterable(audio(audio.data()));
    }
    if (event instanceof MediaEvent.Dtmf dtmf) {
      return Flux.just(records.dtmf(dtmf.digits(), mediaTimeMs(), Instant.now()));
    }
    if (event instanceof MediaEvent.Stopped stopped) {
      Flux<OutboundRecord> end = end(CallEndReason.CUSTOMER_HANGUP, stopped.detail());
      closeNow(CloseStatus.NORMAL);
      return end;
    }
    return Flux.empty();
  }

  private Flux<OutboundRecord> start(MediaEvent.Started started) {
    if (records != null) {
      throw MediaProtocolException.malformed("the stream started twice");
    }
    String token = started.token() != null ? started.token() : handshakeToken;
    var grant = edge.tokens().verify(token).orElseThrow(() -> new MediaProtocolException(
        MediaProtocolException.POLICY_VIOLATION, "unauthenticated", "missing, invalid or expired media token"));
    Map<String, String> params = new HashMap<>(started.parameters());
    String claimed = params.get("callId");
    if (claimed != null && !claimed.equals(grant.callId())) {
      throw new MediaProtocolException(MediaProtocolException.POLICY_VIOLATION, "unauthenticated",
          "the media token was issued for another call");
    }
    String callId = grant.callId();
    converter = new AudioConverter(started.format(), inboundFormat);
    Playback playback = new Playback(protocol, this::emit, Schedulers.parallel(),
        () -> System.nanoTime() / 1_000_000, edge.properties().playbackLead().toMillis(),
        new Playback.Listener() {
          @Override
          public void sent(int durationMs, Instant producedAt) {
            edge.metrics().chunkOut(protocol.provider());
            edge.metrics().played(Duration.between(producedAt, Instant.now()));
          }

          @Override
          public void agentHungUp(String turnId) {
            hangUp();
          }
        });
    return edge.replyPartitions().next(edge.properties().replyPartitionWait())
        .switchIfEmpty(Mono.error(() -> new MediaProtocolException(MediaProtocolException.TRY_AGAIN_LATER,
            "no_reply_partition", "this instance owns no agent-audio partition yet; try again")))
        .flatMapMany(partition -> {
          LiveCalls.LiveCall call = new LiveCalls.LiveCall(callId, protocol.provider(), partition, playback);
          if (!edge.calls().register(call)) {
            throw new MediaProtocolException(MediaProtocolException.CONFLICT, "duplicate_call",
                "call " + callId + " already has a live media stream");
          }
          live = call;
          records = new CallRecords(callId, params.get("campaignId"));
          startedAtNanos = System.nanoTime();
          Map<String, String> extra = new HashMap<>(params);
          RESERVED.forEach(extra::remove);
          String phone = params.get("phoneNumber");
          CallStarted value = CallStarted.newBuilder()
              .setDirection(direction(params))
              .setProvider(protocol.provider())
              .setLeadId(params.get("leadId"))
              .setPhoneNumber(phone)
              .setLanguage(params.getOrDefault("language", edge.properties().language()))
              .setCodec(inboundFormat.codec())
              .setSampleRate(inboundFormat.sampleRate())
              .setGatewayInstance(edge.instanceId())
              .setReplyPartition(partition)
              .setScriptId(params.get("scriptId"))
              .setParameters(extra)
              .build();
          log.info("Call {} started: provider {}, phone {}, reply partition {}", callId, protocol.provider(),
              Redaction.maskPhone(phone), partition);
          OutboundRecord startedRecord = records.started(value, Instant.now());
          String answeredBy = params.get("answeredBy");
          return answeredBy == null ? Flux.just(startedRecord)
              : Flux.just(startedRecord, records.answered(answeredBy(answeredBy), Instant.now()));
        });
  }

  /** Twilio's answering-machine detection names {@code human}, {@code machine_start}, {@code machine_end_*}, {@code fax}. */
  static AnsweredBy answeredBy(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("human")) {
      return AnsweredBy.HUMAN;
    }
    return v.startsWith("machine") || v.equals("fax") ? AnsweredBy.MACHINE : AnsweredBy.UNKNOWN;
  }

  private List<OutboundRecord> audio(byte[] data) {
    if (data.length == 0) {
      receivedAt.poll();
      return List.of();
    }
    byte[] pcm = converter.convert(data);
    long mediaTime = mediaTimeMs();
    mediaSamples += pcm.length / 2;
    List<OutboundRecord> out = new ArrayList<>(2);
    out.add(records.chunk(Channel.CUSTOMER, seq++, inboundFormat, mediaTime, pcm, Instant.now()));
    edge.metrics().chunkIn(protocol.provider());
    Playback playback = live.playback();
    if (playback.isPlaying()) {
      if (bargeIn.onFrame(pcm, inboundFormat.millisOf(pcm.length))) {
        playback.bargeIn().ifPresent(i -> {
          edge.metrics().bargeIn(protocol.provider());
          out.add(records.bargeIn(i.turnId(), mediaTime, i.playedMs(), Instant.now()));
        });
      }
    } else {
      bargeIn.reset();
    }
    return out;
  }

  private Flux<OutboundRecord> failed(Throwable e) {
    refusedAlready = true;
    if (ended && records != null) {
      return Flux.empty();
    }
    String detail;
    CloseStatus status;
    if (e instanceof MediaProtocolException m) {
      status = closeStatus(m.closeCode(), m.getMessage());
      edge.metrics().rejected(protocol.provider(), m.metricReason());
      detail = m.getMessage();
    } else {
      status = new CloseStatus(MediaProtocolException.INTERNAL_ERROR, "internal error");
      edge.metrics().rejected(protocol.provider(), "internal_error");
      detail = e.getClass().getSimpleName();
      log.warn("Call {}: media stream failed", callIdForLog(), e);
    }
    log.info("Call {}: closing the stream ({}): {}", callIdForLog(), status.getCode(), detail);
    Flux<OutboundRecord> end = end(CallEndReason.ERROR, detail);
    closeNow(status);
    return end;
  }

  private Flux<OutboundRecord> end(CallEndReason reason, String detail) {
    if (ended || records == null) {
      ended = true;
      return Flux.empty();
    }
    ended = true;
    if (live != null) {
      live.playback().close();
    }
    edge.metrics().callEnded(protocol.provider(), reason.name());
    long durationMs = (System.nanoTime() - startedAtNanos) / 1_000_000;
    return Flux.just(records.ended(reason, detail, durationMs, Instant.now()));
  }

  private long mediaTimeMs() {
    return mediaSamples * 1000 / inboundFormat.sampleRate();
  }

  private void emit(OutFrame frame) {
    outbound.tryEmitNext(frame);
  }

  private WebSocketMessage toMessage(OutFrame frame) {
    return frame.isBinary()
        ? session.binaryMessage(f -> f.wrap(frame.binary()))
        : session.textMessage(frame.text());
  }

  private String callIdForLog() {
    return records == null ? "(not started)" : records.callId();
  }

  private static CallDirection direction(Map<String, String> params) {
    String d = params.get("direction");
    if (d != null) {
      try {
        return CallDirection.valueOf(d.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return CallDirection.UNKNOWN;
      }
    }
    return params.get("leadId") != null ? CallDirection.OUTBOUND : CallDirection.INBOUND;
  }
}
