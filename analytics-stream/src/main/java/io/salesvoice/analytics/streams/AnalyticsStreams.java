package io.salesvoice.analytics.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.salesvoice.analytics.topology.AnalyticsSerdes;
import io.salesvoice.analytics.topology.AnalyticsTopology;
import io.salesvoice.analytics.topology.SkippedRecords;
import io.salesvoice.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Runs the analytics topology for the life of the application. It starts once the HTTP port is known, because that
 * port is this instance's {@code application.server}: the address other instances forward queries to.
 */
@Component
public class AnalyticsStreams implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsStreams.class);

  private final AnalyticsProperties properties;
  private final KafkaSettings kafka;
  private final MeterRegistry meters;
  private volatile KafkaStreams streams;
  private volatile HostInfo self;
  private KafkaStreamsMetrics metrics;

  public AnalyticsStreams(AnalyticsProperties properties, KafkaSettings kafka, MeterRegistry meters) {
    this.properties = properties;
    this.kafka = kafka;
    this.meters = meters;
  }

  @Override
  public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
    if (streams != null || event.getApplicationContext().getServerNamespace() != null) {
      return; // already running, or the management server's port
    }
    self = new HostInfo(properties.advertisedHost(), event.getWebServer().getPort());
    streams = new KafkaStreams(AnalyticsTopology.build(properties.topologySettings(),
        AnalyticsSerdes.registry(kafka.serdeConfig())), config(self));
    // A failed stream thread is replaced rather than leaving this instance's partitions unprocessed.
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("analytics stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(meters);
    streams.start();
    LOG.info("analytics-stream {} started, answering queries at {}", properties.applicationId(), self);
  }

  Properties config(HostInfo server) {
    Properties p = new Properties();
    p.putAll(kafka.properties());
    p.putAll(kafka.serdeConfig());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
    p.put(StreamsConfig.CLIENT_ID_CONFIG, properties.applicationId() + "-" + server.port());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server.host() + ":" + server.port());
    p.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDirectory().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, properties.processingGuarantee());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
    p.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        SkippedRecords.OnDeserialization.class.getName());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SkippedRecords.OnProcessing.class.getName());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // the workers' group timeouts (KafkaSettings): with kafka-clients' 45 s default a killed instance's partitions
    // stood still for 45 s, measured in the fault suite, where every other worker recovers in about 10
    Map<String, Object> consumer = kafka.consumerConfig(properties.applicationId());
    for (String key : List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)) {
      p.put(StreamsConfig.consumerPrefix(key), consumer.get(key));
    }
    if (properties.streams() != null) {
      p.putAll(properties.streams());
    }
    return p;
  }

  /** The running streams, or null before the web server started. */
  public KafkaStreams streams() {
    return streams;
  }

  /** This instance's query address, as the other instances see it. */
  public HostInfo self() {
    return self;
  }

  @Override
  public void destroy() {
    KafkaStreams s = streams;
    if (s != null) {
      s.close(Duration.ofSeconds(30));
      if (metrics != null) {
        metrics.close();
      }
    }
  }
}
