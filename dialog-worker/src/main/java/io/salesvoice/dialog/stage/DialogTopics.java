package io.salesvoice.dialog.stage;

import io.salesvoice.platform.topics.Topics;

/**
 * The topics the dialog stage reads and writes; the catalogue's in production, unique ones in tests. The calls,
 * transcripts and state topics must have the same number of partitions: a call's records share a partition number
 * in all three (co-partitioned, as Kafka Streams requires for joins).
 */
public record DialogTopics(String transcripts, String calls, String turns, String crmCommands, String state) {

  public static DialogTopics catalogue() {
    return new DialogTopics(Topics.TRANSCRIPTS, Topics.CALLS, Topics.DIALOG_TURNS, Topics.CRM_COMMANDS,
        Topics.DIALOG_STATE);
  }
}
