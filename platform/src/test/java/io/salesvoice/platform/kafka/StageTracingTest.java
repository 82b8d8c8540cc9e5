package io.salesvoice.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.transcript.Transcript;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

@ExtendWith(LocalStackExtension.class)
class StageTracingTest {

  @Test
  void twoStagesExportOneTraceWhoseSpansChainThroughTheRecordHeaders(KafkaStack stack) {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
        .build();
    try (StackClients clients = new StackClients(stack); RecordSender sender = RecordSender.create(clients.settings())) {
      String a = clients.createTopicWithDeadLetters("traced-a", 1);
      String b = clients.createTopicWithDeadLetters("traced-b", 1);
      String c = clients.createTopicWithDeadLetters("traced-c", 1);
      Disposable first = stage("first", a, b, clients, sender, sdk).start();
      Disposable second = stage("second", b, c, clients, sender, sdk).start();

      TraceContext origin = TraceContext.newTrace();
      RecordHeaders headers = new RecordHeaders();
      origin.writeTo(headers);
      clients.sendWithHeaders(new ProducerRecord<>(a, null, "call-t", transcript("call-t"), headers));
      clients.sendRaw(a, "call-t", "garbage".getBytes());

      List<ConsumerRecord<String, Object>> out = clients.read(c, 1, Duration.ofSeconds(60));
      assertThat(out).hasSize(1);
      TraceContext arrived = TraceContext.from(out.get(0).headers()).orElseThrow();
      clients.read(a + ".dlq", 1, Duration.ofSeconds(60));
      first.dispose();
      second.dispose();

      List<SpanData> spans = exported.getFinishedSpanItems();
      SpanData firstSpan = spans.stream().filter(s -> s.getName().equals("first process")
          && s.getStatus().getStatusCode() != StatusCode.ERROR).findFirst().orElseThrow();
      SpanData secondSpan = spans.stream().filter(s -> s.getName().equals("second process")).findFirst().orElseThrow();
      assertThat(firstSpan.getTraceId()).isEqualTo(origin.traceId());
      assertThat(firstSpan.getParentSpanId()).isEqualTo(origin.spanId());
      assertThat(secondSpan.getTraceId()).isEqualTo(origin.traceId());
      assertThat(secondSpan.getParentSpanId()).isEqualTo(firstSpan.getSpanId());
      assertThat(arrived.spanId()).isEqualTo(secondSpan.getSpanId());
      assertThat(firstSpan.getAttributes().asMap().toString()).contains("traced-a").contains("kafka");
      assertThat(spans).anySatisfy(s -> {
        assertThat(s.getName()).isEqualTo("first process");
        assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(s.getStatus().getDescription()).contains("cannot be deserialized");
      });
    } finally {
      sdk.close();
    }
  }

  private static Stage<Transcript> stage(String name, String in, String out, StackClients clients, RecordSender sender,
                                         OpenTelemetrySdk sdk) {
    return Stage.builder(name, Transcript.class)
        .consume(in)
        .process(r -> Flux.just(r.reply(out, r.value())))
        .kafka(clients.settings(), sender)
        .metrics(new SimpleMeterRegistry())
        .tracing(sdk)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .build();
  }

  private static Transcript transcript(String callId) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(callId + "-u1").setText("traced").setIsFinal(true)
        .setLanguage("en-US").setConfidence(1f).setStartMs(0).setEndMs(10).setEngine("test")
        .setProducedAt(Instant.now()).build();
  }
}
