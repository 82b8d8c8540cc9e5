package io.salesvoice.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.tts.audio.OutputFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class CallRegistryTest {

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  @Test
  void remembersAtMostMaxCallsDroppingTheLeastRecentlyUsed() {
    CallRegistry calls = new CallRegistry(3, Duration.ofHours(1), Clock.systemUTC());
    calls.started("a", OutputFormat.telephone(), 1);
    calls.started("b", OutputFormat.telephone(), 2);
    calls.started("c", OutputFormat.telephone(), 3);
    calls.call("a");                                   // a is used again: b is now the eldest
    calls.started("d", OutputFormat.telephone(), 4);

    assertThat(calls.size()).isEqualTo(3);
    assertThat(calls.call("a").replyPartition()).isEqualTo(1);
    assertThat(calls.call("b").replyPartition()).as("b was forgotten, a new empty state").isEqualTo(-1);
  }

  @Test
  void forgetsIdleCallsAndStopsWhatTheyWereSaying() {
    MovableClock clock = new MovableClock();
    CallRegistry calls = new CallRegistry(100, Duration.ofMinutes(10), clock);
    CallState idle = calls.call("idle");
    idle.begin("t1", 0);
    Mono<Void> cancelled = idle.cancellation("t1");
    clock.advance(Duration.ofMinutes(11));
    calls.call("other");

    assertThat(calls.size()).isEqualTo(1);
    assertThat(cancelled.toFuture()).isDone();
  }

  @Test
  void rememberedChunksPerCallAreBounded() {
    CallState call = new CallRegistry(10, Duration.ofHours(1), Clock.systemUTC()).call("c");
    for (int i = 0; i < CallState.REMEMBERED_CHUNKS + 10; i++) {
      CallState.Decision d = call.begin("t1", i);
      call.finished(d.slot(), 1, 20);
    }
    // the oldest chunks were forgotten: only the recent ones are still recognised as duplicates
    assertThat(call.begin("t1", CallState.REMEMBERED_CHUNKS + 9).skip()).isEqualTo(CallState.Skip.DUPLICATE);
    assertThat(call.begin("t1", 0).speak()).isTrue();
  }

  @Test
  void aBargeInBeforeTheTurnArrivesCancelsItWhenItDoes() {
    CallRegistry calls = new CallRegistry(10, Duration.ofHours(1), Clock.systemUTC());
    calls.bargeIn("c", "t7");
    assertThat(calls.call("c").begin("t7", 0).skip()).isEqualTo(CallState.Skip.CANCELLED);
    assertThat(calls.call("c").begin("t8", 0).speak()).isTrue();
  }
}
