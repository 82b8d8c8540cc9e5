package io.salesvoice.ingest.live;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a record keyed by a callId lands in under Kafka's default partitioner (murmur2 of the serialized
 * key, made positive, modulo the partition count — as kafka-clients' {@code BuiltInPartitioner.partitionForKey}), so a
 * viewer of one call reads one partition per topic instead of the whole topic.
 */
public final class CallPartitions {

  private CallPartitions() {
  }

  public static int partitionFor(String callId, int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(callId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
