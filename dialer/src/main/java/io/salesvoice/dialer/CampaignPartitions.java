package io.salesvoice.dialer;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * A campaign, its leads and its lead states share one partition number, the one Kafka's default partitioner gives the
 * campaign id, so the dialer instance that owns that partition of the campaigns topic owns the whole campaign.
 */
public final class CampaignPartitions {

  private CampaignPartitions() {
  }

  public static int of(String campaignId, int partitions) {
    return Utils.toPositive(Utils.murmur2(campaignId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
