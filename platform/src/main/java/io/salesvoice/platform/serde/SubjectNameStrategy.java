package io.salesvoice.platform.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/** The three subject naming rules of the Confluent ecosystem, chosen by the simple name of Confluent's class. */
enum SubjectNameStrategy {
  /** {@code <topic>-value}: one value type per topic, as this project's topics have. */
  TOPIC_NAME,
  /** {@code <record full name>}: the same type shares one subject across topics. */
  RECORD_NAME,
  /** {@code <topic>-<record full name>}: several types per topic. */
  TOPIC_RECORD_NAME;

  static SubjectNameStrategy from(String className, boolean isKey) {
    SubjectNameStrategy s;
    String simple = className == null ? "TopicNameStrategy" : className.substring(className.lastIndexOf('.') + 1);
    switch (simple) {
      case "TopicNameStrategy" -> s = TOPIC_NAME;
      case "RecordNameStrategy" -> s = RECORD_NAME;
      case "TopicRecordNameStrategy" -> s = TOPIC_RECORD_NAME;
      default -> throw new ConfigException("unknown subject name strategy " + className
          + "; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    }
    return s;
  }

  String subject(String topic, Schema schema, boolean isKey) {
    return switch (this) {
      case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
      case RECORD_NAME -> schema.getFullName();
      case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
    };
  }
}
