package io.salesvoice.simulators.carrier;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SIMULATED carrier's settings ({@code sva.carrier.*}); the defaults place calls on the local stack's ingest-audio.
 *
 * @param ingestMediaUrl     ingest-audio's Twilio Media Streams endpoint ({@code SVA_INGEST_MEDIA_URL})
 * @param tokenSecret        the media-token secret shared with ingest-audio ({@code SVA_INGEST_TOKEN_SECRET}); a secret
 * @param personaMix         {@code name=weight,…} for requests without a {@code persona} parameter
 * @param maxConcurrentCalls simulated calls ringing or connected at once
 * @param groupId            consumer group on sva.dialer.requests
 * @param ringTime           ring before a no-answer / line-busy call ends (capped by the request's ring timeout)
 * @param answerDelay        ring before a connecting call is picked up
 * @param humanPause         the customer's pause after the agent's turn ends, before speaking
 * @param agentSilence       how long the customer waits for the agent before repeating a line or hanging up
 * @param maxRepeats         how often the customer repeats a line to a silent agent
 * @param maxCallDuration    a simulated call is hung up after this long
 * @param stopGrace          after stop, how long to wait for the edge to close the stream
 * @param tokenTtl           lifetime of the media tokens the carrier signs
 * @param keepCalls          calls listed by {@code GET /simulator/calls}
 * @param espeakCommand      the eSpeak NG executable
 * @param wordsPerMinute     the customer's speaking rate
 * @param recordings         line text → recorded WAV played instead of synthesizing that line
 */
@ConfigurationProperties("sva.carrier")
public record CarrierProperties(
    @DefaultValue("ws://127.0.0.1:8080/media/twilio") URI ingestMediaUrl,
    String tokenSecret,
    @DefaultValue(Personas.DEFAULT_MIX) String personaMix,
    @DefaultValue("50") int maxConcurrentCalls,
    @DefaultValue("sva-simulated-carrier") String groupId,
    @DefaultValue("3s") Duration ringTime,
    @DefaultValue("1s") Duration answerDelay,
    @DefaultValue("300ms") Duration humanPause,
    @DefaultValue("10s") Duration agentSilence,
    @DefaultValue("1") int maxRepeats,
    @DefaultValue("5m") Duration maxCallDuration,
    @DefaultValue("5s") Duration stopGrace,
    @DefaultValue("15m") Duration tokenTtl,
    @DefaultValue("1000") int keepCalls,
    @DefaultValue("espeak-ng") String espeakCommand,
    @DefaultValue("160") int wordsPerMinute,
    Map<String, Path> recordings) {

  public CarrierProperties {
    recordings = recordings == null ? Map.of() : Map.copyOf(recordings);
  }

  public SimulatedCarrier.Settings settings() {
    return new SimulatedCarrier.Settings(ringTime, answerDelay, tokenTtl, maxConcurrentCalls,
        new CalleeScript.Timing(humanPause.toMillis(), agentSilence.toMillis(), maxRepeats), maxCallDuration, stopGrace,
        keepCalls);
  }
}
