package io.salesvoice.analytics.topology;

import static io.salesvoice.analytics.Records.answered;
import static io.salesvoice.analytics.Records.bargeIn;
import static io.salesvoice.analytics.Records.crm;
import static io.salesvoice.analytics.Records.ended;
import static io.salesvoice.analytics.Records.said;
import static io.salesvoice.analytics.Records.say;
import static io.salesvoice.analytics.Records.started;
import static io.salesvoice.analytics.topology.TopologyFixture.min;
import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.crm.CrmStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Campaign deltas summed per campaign and window bucket before the campaign stores must give exactly the figures the
 * deltas sent one by one give, windows, retractions and late records included; and the campaign views may lag by at
 * most the summing interval.
 */
class SummedDeltasTopologyTest {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  @Test
  void summedDeltasGiveTheSameCampaignFiguresAsDeltasSentOneByOne() {
    try (TopologyFixture atOnce = new TopologyFixture();
         TopologyFixture summed = new TopologyFixture(TopologyFixture.SETTINGS.withCampaignDeltaInterval(INTERVAL))) {
      for (TopologyFixture t : List.of(atOnce, summed)) {
        // Calls in two campaigns across several 15-minute buckets and two tumbling windows.
        for (int i = 0; i < 12; i++) {
          call(t, "c" + i, i % 2 == 0 ? "north" : "south", min(i * 9L));
          if (i % 4 == 3) {
            t.wait(INTERVAL); // some sums are sent mid-way, as on a live instance
          }
        }
        // A late start moves a call to another window: retracted where it was counted, added where it belongs.
        t.call(answered("late", "north", AnsweredBy.HUMAN, min(100)));
        t.call(ended("late", "north", CallEndReason.CUSTOMER_HANGUP, 60_000, min(101)));
        t.wait(INTERVAL);
        t.call(started("late", "north", CallDirection.OUTBOUND, min(20)));
        t.crm(crm("late", "north", "MarkDoNotCall", "late:dnc", CrmStatus.APPLIED, min(102)));
        t.wait(INTERVAL);
      }

      for (String campaign : List.of("north", "south")) {
        assertThat(summed.total(campaign, false)).isNotNull().isEqualTo(atOnce.total(campaign, false));
      }
      assertThat(windows(summed, AnalyticsTopology.CAMPAIGN_TUMBLING_STORE))
          .hasSizeGreaterThanOrEqualTo(4)
          .isEqualTo(windows(atOnce, AnalyticsTopology.CAMPAIGN_TUMBLING_STORE));
      assertThat(windows(summed, AnalyticsTopology.CAMPAIGN_HOPPING_STORE))
          .hasSizeGreaterThanOrEqualTo(8)
          .isEqualTo(windows(atOnce, AnalyticsTopology.CAMPAIGN_HOPPING_STORE));
      assertThat(summed.total("north", false).getCallsStarted()).isEqualTo(7);
      assertThat(summed.total("north", false).getOutcomes()).containsEntry("DO_NOT_CALL", 1L);
    }
  }

  @Test
  void campaignViewsLagByAtMostTheInterval() {
    try (TopologyFixture t = new TopologyFixture(TopologyFixture.SETTINGS.withCampaignDeltaInterval(INTERVAL))) {
      t.call(started("a", "east", CallDirection.OUTBOUND, min(0)));
      t.call(answered("a", "east", AnsweredBy.HUMAN, min(0) + 1_000));
      assertThat(t.total("east", false)).isNull();
      assertThat(t.callState("a")).isNotNull(); // the call view does not wait for it

      t.wait(INTERVAL);
      assertThat(t.total("east", false).getCallsAnswered()).isEqualTo(1);
      assertThat(t.campaigns.readValuesToList()).isNotEmpty();

      t.wait(INTERVAL); // nothing new: nothing is sent again
      t.call(ended("a", "east", CallEndReason.CUSTOMER_HANGUP, 1_000, min(0) + 2_000));
      t.wait(INTERVAL);
      assertThat(t.total("east", false).getCallsCompleted()).isEqualTo(1);
      assertThat(t.total("east", false).getCallsStarted()).isEqualTo(1);
    }
  }

  private static void call(TopologyFixture t, String callId, String campaign, long start) {
    t.call(started(callId, campaign, CallDirection.OUTBOUND, start));
    t.call(answered(callId, campaign, AnsweredBy.HUMAN, start + 2_000));
    t.turn(say(callId, callId + "-t1", "Hello, this is Anna from Acme.", "greeting", null, start + 3_000));
    t.transcript(said(callId, callId + "-u1", "Tell me more", 5_000, 6_000, start + 6_200, 300));
    t.turn(say(callId, callId + "-t2", "We have an offer for you.", "offer", callId + "-u1", start + 6_900));
    if (callId.hashCode() % 3 == 0) {
      t.call(bargeIn(callId, campaign, start + 7_000));
    }
    t.call(ended(callId, campaign, CallEndReason.CUSTOMER_HANGUP, 8_000, start + 10_000));
  }

  private static Map<String, CampaignAggregate> windows(TopologyFixture t, String store) {
    Map<String, CampaignAggregate> out = new TreeMap<>();
    t.allWindows(store).forEach(kv -> out.put(kv.key.key() + "@" + kv.key.window().start(), kv.value));
    return out;
  }
}
