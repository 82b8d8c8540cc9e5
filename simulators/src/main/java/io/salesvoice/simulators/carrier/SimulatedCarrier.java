package io.salesvoice.simulators.carrier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialer.CallRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The SIMULATED carrier: sva.dialer.requests → calls answered on ingest-audio's Twilio endpoint, key callId,
 * read_committed (the dialer writes requests in transactions), at most {@code maxConcurrentCalls} calls at once. A call
 * whose persona never connects (no answer, line busy) ends with {@code CallEnded} on sva.calls written here after a
 * simulated ring; a call the edge never started (unreachable, refused) too. A record that is not a usable request goes
 * to sva.dialer.requests.dlq with the reason. A load generator and test double, never a real carrier.
 */
public final class SimulatedCarrier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);
  /** The stage's name and consumer group. */
  public static final String NAME = "simulated-carrier";
  public static final String CARRIER_TAG = "simulated";

  /** The topics the carrier reads and writes; tests use their own. */
  public record CarrierTopics(String requests, String calls) {
    public static CarrierTopics catalogue() {
      return new CarrierTopics(Topics.DIALER_REQUESTS, Topics.CALLS);
    }
  }

  /**
   * @param ringTime          how long a call that never connects rings before it ends (at most the request's ring timeout)
   * @param answerDelay       how long a call that connects rings before the customer picks up
   * @param tokenTtl          lifetime of the media token the carrier signs for each call
   * @param maxConcurrentCalls calls (ringing or connected) at once
   * @param timing            the customer's pace
   * @param maxCallDuration   a call is hung up after this long, whatever happens
   * @param stopGrace         after {@code stop}, how long to wait for the edge to close the stream
   * @param keepCalls         calls remembered for {@code GET /simulator/calls}
   */
  public record Settings(Duration ringTime, Duration answerDelay, Duration tokenTtl, int maxConcurrentCalls,
                         CalleeScript.Timing timing, Duration maxCallDuration, Duration stopGrace, int keepCalls) {
  }

  private final CarrierTopics topics;
  private final Settings settings;
  private final Personas personas;
  private final CustomerVoice voice;
  private final CallTokens tokens;
  private final TwilioCalleeLeg leg;
  private final RecordSender sender;
  private final MeterRegistry meters;
  private final CallPermits permits;
  private final Scheduler synthesis = Schedulers.newBoundedElastic(2, 10_000, "simulated-carrier-espeak", 60, true);
  private final Map<String, Disposable> running = new ConcurrentHashMap<>();
  private final Map<String, SimulatedCall> calls;
  private final Map<String, Timer> voiceToVoice = new ConcurrentHashMap<>();
  /** CallEnded records of calls that never connected, by callId, while the call is remembered. */
  private final Map<String, OutboundRecord> endedHere = new ConcurrentHashMap<>();

  public SimulatedCarrier(CarrierTopics topics, Settings settings, Personas personas, CustomerVoice voice,
                          CallTokens tokens, TwilioCalleeLeg leg, RecordSender sender, MeterRegistry meters) {
    this.topics = topics;
    this.settings = settings;
    this.personas = personas;
    this.voice = voice;
    this.tokens = tokens;
    this.leg = leg;
    this.sender = sender;
    this.meters = meters;
    this.permits = new CallPermits(settings.maxConcurrentCalls());
    int keep = settings.keepCalls();
    this.calls = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SimulatedCall> eldest) {
        boolean evict = size() > keep && eldest.getValue().state() == SimulatedCall.State.ENDED;
        if (evict) {
          endedHere.remove(eldest.getKey());
        }
        return evict;
      }
    });
    Gauge.builder("sva.carrier.live_calls", permits, CallPermits::inUse)
        .description("SIMULATED calls ringing or connected")
        .tag("carrier", CARRIER_TAG).register(meters);
  }

  /** The stage, ready to start: reads committed requests only, dead-letters records that are not requests. */
  public Stage<CallRequest> stage(KafkaSettings kafka, String groupId) {
    return Stage.builder(NAME, CallRequest.class)
        .groupId(groupId)
        .consume(topics.requests())
        .expectKey(CallRequest::getCallId)
        .process(this::process)
        .kafka(kafka.withProperty("isolation.level", "read_committed"), sender)
        .metrics(meters)
        .concurrencyPerPartition(Math.max(1, settings.maxConcurrentCalls()))
        .build();
  }

  Publisher<OutboundRecord> process(InboundRecord<CallRequest> record) {
    CallRequest request = record.value();
    String callId = request.getCallId();
    if (callId.isBlank() || callId.contains("|")) {
      throw new IllegalArgumentException("the request's callId '" + callId + "' cannot name a call: it must be "
          + "non-blank and must not contain '|'");
    }
    if (request.getLeadId().isBlank()) {
      throw new IllegalArgumentException("the request for call " + callId + " has no leadId");
    }
    if (calls.containsKey(callId)) {
      // a stage retry or a redelivered request: the call is not placed twice, but a CallEnded this carrier wrote is
      // written again (same eventId) in case the first write is what failed
      OutboundRecord endedBefore = endedHere.get(callId);
      log.info("SIMULATED carrier: call {} was already placed; the repeated request is ignored", callId);
      return endedBefore == null ? Flux.empty() : Flux.just(endedBefore);
    }
    Personas.Choice choice = personas.choose(request.getParameters(), request.getLeadId());
    Persona persona = choice.persona();
    SimulatedCall call = new SimulatedCall(callId, request.getCampaignId(), request.getLeadId(), persona.name(),
        choice.why(), request.getLanguage());
    call.onVoiceToVoice(ms -> voiceToVoiceTimer(persona.name()).record(Duration.ofMillis(ms)));
    calls.put(callId, call);
    if (request.getExpiresAt().isBefore(Instant.now())) {
      end(call, "expired", "the request expired at " + request.getExpiresAt() + "; not placed");
      return Flux.empty();
    }
    return permits.acquire().flatMapMany(release -> {
      if (!persona.connects()) {
        return ring(request, persona, call, record.trace()).doFinally(s -> release.run());
      }
      Disposable placed = place(request, persona, call, record.trace())
          .doFinally(s -> {
            release.run();
            running.remove(callId);
          })
          .subscribe();
      running.put(callId, placed);
      if (call.state() == SimulatedCall.State.ENDED) {
        running.remove(callId);
      }
      return Flux.empty();
    });
  }

  /** A call that never connects: it rings, then the carrier reports no answer or busy. */
  private Flux<OutboundRecord> ring(CallRequest request, Persona persona, SimulatedCall call, TraceContext trace) {
    CallEndReason reason = CallEndReason.valueOf(persona.endReason());
    Duration ring = settings.ringTime();
    Duration limit = Duration.ofSeconds(Math.max(0, request.getRingTimeoutSeconds()));
    if (ring.compareTo(limit) > 0) {
      ring = limit;
    }
    call.state(SimulatedCall.State.RINGING);
    log.info("SIMULATED carrier: call {} to {} rings ({}); it will end {}", call.callId(),
        Redaction.maskPhone(request.getPhoneNumber()), persona.name(), reason);
    Duration rang = ring;
    return Mono.delay(ring).map(t -> {
      String detail = "SIMULATED carrier: " + (reason == CallEndReason.BUSY ? "the line is busy"
          : "no answer after " + rang.toMillis() + " ms");
      end(call, reason == CallEndReason.BUSY ? "busy" : "no-answer", detail);
      OutboundRecord ended = callEnded(request, reason, detail, "simulated-carrier-" + call.callId() + "-ended");
      endedHere.put(call.callId(), ended);
      return ended;
    }).flux();
  }

  /** A call that connects: the customer's lines are synthesized, then the leg plays them to the edge. */
  private Mono<Void> place(CallRequest request, Persona persona, SimulatedCall call, TraceContext trace) {
    String language = request.getLanguage();
    call.state(SimulatedCall.State.RINGING);
    log.info("SIMULATED carrier: call {} to {} answered by the {} persona", call.callId(),
        Redaction.maskPhone(request.getPhoneNumber()), persona.name());
    Mono<List<CalleeScript.Utterance>> lines = Mono.fromCallable(() -> utterances(persona, request))
        .subscribeOn(synthesis);
    Mono<CalleeScript.Utterance> hello = Mono.fromCallable(() -> {
      String text = personas.hello(persona.linesLanguage(language));
      return new CalleeScript.Utterance(text, TelephoneAudio.frames(voice.speak(text, persona.linesLanguage(language))));
    }).subscribeOn(synthesis);
    CalleeScript.Timing timing = persona.speaksFirst()
        ? new CalleeScript.Timing(settings.timing().humanPauseMs(), settings.timing().agentSilenceMs(), 0)
        : settings.timing();
    return Mono.zip(lines, hello)
        .delayElement(settings.answerDelay())
        .flatMap(t -> {
          call.state(SimulatedCall.State.CONNECTING);
          return leg.run(call.callId(), streamParameters(request, persona),
              now -> new CalleeScript(t.getT1(), t.getT2(), persona.speaksFirst(), timing, call, now));
        })
        .onErrorResume(e -> Mono.just(new TwilioCalleeLeg.Result("error",
            "SIMULATED carrier could not prepare the call: " + e.getMessage(), null, true)))
        .flatMap(result -> {
          end(call, result.outcome(), result.detail());
          if (!result.edgeWroteNoEnd()) {
            return Mono.empty();
          }
          log.warn("SIMULATED carrier: call {} never started on the edge: {}", call.callId(), result.detail());
          return sender.send(callEnded(request, CallEndReason.ERROR, result.detail(),
                  "simulated-carrier-" + call.callId() + "-failed"), trace)
              .then()
              .onErrorResume(e -> {
                log.warn("SIMULATED carrier: could not write CallEnded of call {}: {}", call.callId(), e.toString());
                return Mono.empty();
              });
        });
  }

  private List<CalleeScript.Utterance> utterances(Persona persona, CallRequest request) {
    String language = persona.linesLanguage(request.getLanguage());
    List<CalleeScript.Utterance> out = new ArrayList<>();
    List<String> lines = persona.lines(request.getLanguage(), request.getLeadId());
    for (int i = 0; i < lines.size(); i++) {
      byte[] audio = voice.speak(lines.get(i), language);
      if (i == 0 && persona.beep()) {
        byte[] withBeep = new byte[audio.length + 4000 + 3200];
        java.util.Arrays.fill(withBeep, TelephoneAudio.MULAW_SILENCE);
        System.arraycopy(audio, 0, withBeep, 0, audio.length);
        byte[] beep = TelephoneAudio.beep(400);
        System.arraycopy(beep, 0, withBeep, audio.length + 4000, beep.length);
        audio = withBeep;
      }
      out.add(new CalleeScript.Utterance(lines.get(i), TelephoneAudio.frames(audio)));
    }
    return out;
  }

  /** The start frame's customParameters: the call's fields, its token, the lead's parameters, and who answered. */
  Map<String, String> streamParameters(CallRequest request, Persona persona) {
    Map<String, String> p = new LinkedHashMap<>(request.getParameters());
    p.put("token", tokens.issue(request.getCallId(), settings.tokenTtl()));
    p.put("callId", request.getCallId());
    p.put("campaignId", request.getCampaignId());
    p.put("leadId", request.getLeadId());
    p.put("phoneNumber", request.getPhoneNumber());
    p.put("language", request.getLanguage());
    if (request.getScriptId() != null) {
      p.put("scriptId", request.getScriptId());
    }
    p.put("direction", "OUTBOUND");
    p.put("carrier", CARRIER_TAG);
    p.put("persona", persona.name());
    if (persona.answeredBy() != null) {
      p.put("answeredBy", persona.answeredBy());
    }
    return p;
  }

  private OutboundRecord callEnded(CallRequest request, CallEndReason reason, String detail, String eventId) {
    CallEvent event = CallEvent.newBuilder()
        .setCallId(request.getCallId())
        .setEventId(eventId)
        .setOccurredAt(Instant.now())
        .setCampaignId(request.getCampaignId())
        .setEvent(CallEnded.newBuilder().setReason(reason).setDetail(detail).setDurationMs(0).build())
        .build();
    return OutboundRecord.of(topics.calls(), request.getCallId(), event);
  }

  private void end(SimulatedCall call, String outcome, String detail) {
    if (call.end(outcome, detail)) {
      Counter.builder("sva.carrier.calls")
          .description("SIMULATED calls ended, by persona and outcome")
          .tag("carrier", CARRIER_TAG).tag("persona", call.persona()).tag("outcome", outcome)
          .register(meters).increment();
      log.info("SIMULATED carrier: call {} ended: {} ({})", call.callId(), outcome, detail);
    }
  }

  private Timer voiceToVoiceTimer(String persona) {
    return voiceToVoice.computeIfAbsent(persona, p -> Timer.builder("sva.carrier.voice_to_voice")
        .description("SIMULATED caller's wait: end of the customer's line to the first agent audio after it")
        .tag("carrier", CARRIER_TAG).tag("persona", p)
        .publishPercentiles(0.5, 0.9, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(50))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(meters));
  }

  /** The calls remembered, newest last. */
  public List<SimulatedCall.View> calls() {
    synchronized (calls) {
      return calls.values().stream().map(SimulatedCall::view).toList();
    }
  }

  public java.util.Optional<SimulatedCall> call(String callId) {
    return java.util.Optional.ofNullable(calls.get(callId));
  }

  @Override
  public void close() {
    running.values().forEach(Disposable::dispose);
    synthesis.dispose();
  }
}
