package io.salesvoice.analytics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class AnalyticsStreamsConfigTest {

  @Test
  void theStreamsConsumersLeaveTheGroupAsSoonAsTheWorkersDo() {
    KafkaSettings kafka = KafkaSettings.of("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7", "analytics");
    AnalyticsProperties properties = new AnalyticsProperties("analytics-stream", "/tmp/unused", "localhost",
        "exactly_once_v2", Duration.ofMillis(100), 1, 0, Duration.ofHours(1), Duration.ofHours(1),
        Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofDays(2), Duration.ofMinutes(5),
        Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofDays(7), 0, true, null, null);
    Properties config = new AnalyticsStreams(properties, kafka, new SimpleMeterRegistry())
        .config(new HostInfo("localhost", 8086));

    Map<String, Object> workers = kafka.consumerConfig("any");
    assertThat(config.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)))
        .isEqualTo(workers.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(10_000);
    assertThat(config.get(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)))
        .isEqualTo(workers.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
  }
}
