package io.salesvoice.analytics;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Live campaign, call and latency views over the pipeline with Kafka Streams. */
@SpringBootApplication
public class AnalyticsStreamApplication {

  public static void main(String[] args) {
    SpringApplication.run(AnalyticsStreamApplication.class, args);
  }
}
