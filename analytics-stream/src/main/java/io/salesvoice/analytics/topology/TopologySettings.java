package io.salesvoice.analytics.topology;

import io.salesvoice.analytics.domain.QaRules;
import io.salesvoice.platform.topics.Topics;
import java.time.Duration;

/**
 * The shape of the analytics topology: its windows, when a silent call is closed, and how fresh the published views
 * are.
 *
 * @param tumbling          size of the tumbling windows
 * @param hoppingSize       size of the hopping windows
 * @param hoppingAdvance    how far a hopping window advances
 * @param grace             how late a record may arrive and still change its window
 * @param windowRetention   how long closed windows stay queryable
 * @param inactivityTimeout a call with no record for this long is closed
 * @param sweepInterval     how often open calls are checked for inactivity and old calls purged
 * @param publishInterval   how often changed calls are published on sva.analytics.calls (ended calls at once)
 * @param campaignDeltaInterval how long a call's changes to its campaign figures are summed before they are sent on to
 *                          the campaign stores (zero: each at once); adds up to this much to the campaign views'
 *                          staleness, and divides the campaign stores' work by the records in it
 * @param endedCallRetention how long an ended call stays in the call store (and answers queries)
 * @param callPartitions    partitions of the topics keyed by call (CRM results and agent audio are re-keyed to them)
 * @param agentAudio        read sva.audio.out for when the agent's voice started (the last latency stage)
 * @param qa                QA scoring rules
 * @param persistentStores  RocksDB stores (production); in-memory stores restore from their changelogs too, and keep
 *                          TopologyTestDriver tests fast because the driver flushes the stores after every record
 */
public record TopologySettings(
    Duration tumbling,
    Duration hoppingSize,
    Duration hoppingAdvance,
    Duration grace,
    Duration windowRetention,
    Duration inactivityTimeout,
    Duration sweepInterval,
    Duration publishInterval,
    Duration campaignDeltaInterval,
    Duration endedCallRetention,
    int callPartitions,
    boolean agentAudio,
    QaRules qa,
    boolean persistentStores) {

  public static TopologySettings defaults() {
    return new TopologySettings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(15),
        Duration.ofMinutes(10), Duration.ofDays(2), Duration.ofMinutes(5), Duration.ofSeconds(10),
        Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofDays(7), Topics.get(Topics.CALLS).partitions(), true, QaRules.defaults(), true);
  }

  public TopologySettings withInMemoryStores() {
    return new TopologySettings(tumbling, hoppingSize, hoppingAdvance, grace, windowRetention, inactivityTimeout,
        sweepInterval, publishInterval, campaignDeltaInterval, endedCallRetention, callPartitions, agentAudio, qa, false);
  }

  /** The same topology with campaign deltas summed for {@code interval} (zero: each sent on at once). */
  public TopologySettings withCampaignDeltaInterval(Duration interval) {
    return new TopologySettings(tumbling, hoppingSize, hoppingAdvance, grace, windowRetention, inactivityTimeout,
        sweepInterval, publishInterval, interval, endedCallRetention, callPartitions, agentAudio, qa,
        persistentStores);
  }

  /**
   * Deltas are summed per bucket of this many milliseconds: the greatest common divisor of the window sizes and
   * advance, so every record of a bucket falls in exactly the same tumbling and hopping windows.
   */
  public long deltaBucketMs() {
    return gcd(gcd(tumbling.toMillis(), hoppingSize.toMillis()), hoppingAdvance.toMillis());
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  public String tumblingName() {
    return "tumbling-" + human(tumbling);
  }

  public String hoppingName() {
    return "hopping-" + human(hoppingSize) + "-every-" + human(hoppingAdvance);
  }

  static String human(Duration d) {
    if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
      return d.toHours() + "h";
    }
    if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
      return d.toMinutes() + "m";
    }
    return d.toSeconds() + "s";
  }
}
