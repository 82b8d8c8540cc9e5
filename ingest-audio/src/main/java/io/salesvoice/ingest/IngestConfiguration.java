package io.salesvoice.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.ingest.live.LiveCallEvents;
import io.salesvoice.ingest.media.LingeringClose;
import io.salesvoice.ingest.media.MediaSocketHandler;
import io.salesvoice.ingest.media.PcmProtocol;
import io.salesvoice.ingest.media.TwilioProtocol;
import io.salesvoice.ingest.media.VoximplantProtocol;
import io.salesvoice.ingest.playback.AgentAudioRouter;
import io.salesvoice.ingest.replay.ReplayService;
import io.salesvoice.ingest.security.AccessFilter;
import io.salesvoice.platform.security.ApiKeys;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/** Wires the edge: media WebSocket endpoints, agent-audio routing, replay, and the access checks in front of them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
public class IngestConfiguration {

  private static final Logger log = LoggerFactory.getLogger(IngestConfiguration.class);

  @Bean
  String ingestInstanceId(IngestProperties p) {
    if (p.instanceId() != null && !p.instanceId().isBlank()) {
      return p.instanceId();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "ingest-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }

  @Bean
  IngestMetrics ingestMetrics(MeterRegistry registry) {
    return new IngestMetrics(registry);
  }

  @Bean
  LiveCalls liveCalls(IngestMetrics metrics) {
    LiveCalls calls = new LiveCalls();
    metrics.liveCalls(calls::size);
    return calls;
  }

  @Bean
  ReplyPartitions replyPartitions() {
    return new ReplyPartitions();
  }

  @Bean
  CallTokens callTokens(IngestProperties p) {
    byte[] secret;
    if (p.tokenSecret() == null || p.tokenSecret().isBlank()) {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      log.warn("sva.ingest.token-secret is not set: media tokens are signed with a random secret of this process "
          + "and only tokens from its /api/call-tokens open media streams");
    } else {
      secret = p.tokenSecret().getBytes(StandardCharsets.UTF_8);
    }
    return new CallTokens(secret, Clock.systemUTC());
  }

  @Bean
  ApiKeys apiKeys(IngestProperties p) {
    ApiKeys keys = new ApiKeys(p.apiKey());
    if (!keys.configured()) {
      log.warn("sva.ingest.api-key is not set: the replay and admin endpoints refuse every request");
    }
    return keys;
  }

  @Bean
  AccessFilter accessFilter(ApiKeys apiKeys, CallTokens tokens, IngestMetrics metrics) {
    return new AccessFilter(apiKeys, tokens, metrics);
  }

  @Bean
  AgentAudioRouter agentAudioRouter(KafkaSettings settings, IngestProperties p, LiveCalls calls,
                                    ReplyPartitions partitions, IngestMetrics metrics) {
    return new AgentAudioRouter(settings, p.playbackGroup(), calls, partitions, metrics);
  }

  /** Describes topics for the live view (partition counts); one client for the whole instance. */
  @Bean(destroyMethod = "close")
  Admin liveViewAdmin(KafkaSettings settings) {
    return Admin.create(settings.adminConfig());
  }

  @Bean
  LiveCallEvents liveCallEvents(KafkaSettings settings, Admin liveViewAdmin, IngestProperties p, IngestMetrics metrics) {
    Deserializer<Object> deserializer;
    try {
      deserializer = Utils.newInstance(settings.valueDeserializer(), Deserializer.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("value deserializer not found: " + settings.valueDeserializer(), e);
    }
    deserializer.configure(settings.serdeConfig(), false);
    return new LiveCallEvents(settings, liveViewAdmin, deserializer, metrics, p.liveView().maxViewers(),
        p.liveView().heartbeat());
  }

  @Bean
  ReplayService replayService(IngestProperties p, String ingestInstanceId, RecordSender sender,
                              ReplyPartitions partitions, IngestMetrics metrics) {
    return new ReplayService(p, ingestInstanceId, sender, partitions, metrics);
  }

  @Bean
  HandlerMapping mediaEndpoints(IngestProperties p, String ingestInstanceId, CallTokens tokens, LiveCalls calls,
                                ReplyPartitions partitions, RecordSender sender, IngestMetrics metrics) {
    MediaSocketHandler.Edge edge = new MediaSocketHandler.Edge(p, ingestInstanceId, tokens, calls, partitions,
        sender, metrics);
    return new SimpleUrlHandlerMapping(Map.of(
        "/media/twilio", new MediaSocketHandler("twilio", q -> new TwilioProtocol(), edge),
        "/media/voximplant", new MediaSocketHandler("voximplant", q -> new VoximplantProtocol(), edge),
        "/media/pcm", new MediaSocketHandler("pcm", PcmProtocol::new, edge)), -1);
  }

  /** A media socket the edge closes stays readable until the client answers, so a streaming client gets our code. */
  @Bean
  NettyServerCustomizer lingeringWebSocketClose() {
    return server -> LingeringClose.installOn(server, Duration.ofSeconds(5));
  }

  /** Netty's own frame limit sits above ours, so an oversized frame gets our close code, message and metric. */
  @Bean
  WebFluxConfigurer mediaWebSocketService(IngestProperties p) {
    return new WebFluxConfigurer() {
      @Override
      public WebSocketService getWebSocketService() {
        int nettyLimit = Math.max(65536, p.maxFrameBytes() * 2);
        return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
            () -> WebsocketServerSpec.builder().maxFramePayloadLength(nettyLimit)));
      }
    };
  }
}
