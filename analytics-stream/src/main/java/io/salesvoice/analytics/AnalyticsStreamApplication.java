package io.salesvoice.analytics;

import io.salesvoice.analytics.streams.AnalyticsProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Live campaign, call and latency views over the pipeline with Kafka Streams. */
@SpringBootApplication
@EnableConfigurationProperties(AnalyticsProperties.class)
public class AnalyticsStreamApplication {

  public static void main(String[] args) {
    SpringApplication.run(AnalyticsStreamApplication.class, args);
  }
}
