package io.salesvoice.analytics.streams;

import io.salesvoice.analytics.domain.QaRules;
import io.salesvoice.analytics.topology.TopologySettings;
import io.salesvoice.platform.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How analytics-stream runs ({@code sva.analytics.*}); the defaults run against the local stack.
 *
 * @param applicationId      Kafka Streams application id: instances with the same id share the work and answer for
 *                           each other
 * @param stateDir           where the state stores live; defaults to a directory under the temp dir
 * @param advertisedHost     the host other instances reach this one's HTTP port on ({@code application.server})
 * @param processingGuarantee exactly_once_v2 so a crash never counts a call twice; at_least_once where the brokers
 *                           cannot do transactions
 * @param commitInterval     bounds how stale the published topics and the queryable call view are
 * @param campaignDeltaInterval how long a call's changes to its campaign figures are summed before the campaign
 *                           stores see them (zero: at once): throughput against campaign-view staleness
 * @param callPartitions     partitions of the call-keyed topics; 0 takes the topic catalogue's
 * @param streams            further Kafka Streams properties, passed as they are
 */
@ConfigurationProperties("sva.analytics")
public record AnalyticsProperties(
    @DefaultValue("analytics-stream") String applicationId,
    String stateDir,
    @DefaultValue("localhost") String advertisedHost,
    @DefaultValue("exactly_once_v2") String processingGuarantee,
    @DefaultValue("100ms") Duration commitInterval,
    @DefaultValue("1") int streamThreads,
    @DefaultValue("0") int standbyReplicas,
    @DefaultValue("1h") Duration tumbling,
    @DefaultValue("1h") Duration hoppingSize,
    @DefaultValue("15m") Duration hoppingAdvance,
    @DefaultValue("10m") Duration grace,
    @DefaultValue("2d") Duration windowRetention,
    @DefaultValue("5m") Duration inactivityTimeout,
    @DefaultValue("10s") Duration sweepInterval,
    @DefaultValue("1s") Duration publishInterval,
    @DefaultValue("100ms") Duration campaignDeltaInterval,
    @DefaultValue("7d") Duration endedCallRetention,
    @DefaultValue("0") int callPartitions,
    @DefaultValue("true") boolean agentAudio,
    Qa qa,
    Map<String, String> streams) {

  /** QA rules; any left out take {@link QaRules#defaults()}. */
  public record Qa(List<String> requiredStates, List<String> forbiddenPhrases, Double maxAgentTalkRatio,
                   Duration silenceGap) {
  }

  public TopologySettings topologySettings() {
    QaRules d = QaRules.defaults();
    QaRules rules = qa == null ? d : new QaRules(
        qa.requiredStates() == null ? d.requiredStates() : qa.requiredStates(),
        qa.forbiddenPhrases() == null ? d.forbiddenPhrases() : qa.forbiddenPhrases(),
        qa.maxAgentTalkRatio() == null ? d.maxAgentTalkRatio() : qa.maxAgentTalkRatio(),
        qa.silenceGap() == null ? d.silenceGap() : qa.silenceGap());
    return new TopologySettings(tumbling, hoppingSize, hoppingAdvance, grace, windowRetention, inactivityTimeout,
        sweepInterval, publishInterval, campaignDeltaInterval, endedCallRetention,
        callPartitions > 0 ? callPartitions : Topics.get(Topics.CALLS).partitions(), agentAudio, rules, true);
  }

  public Path stateDirectory() {
    return stateDir != null && !stateDir.isBlank() ? Path.of(stateDir)
        : Path.of(System.getProperty("java.io.tmpdir"), "sva-analytics-state", applicationId);
  }
}
