package io.salesvoice.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;

class DecodingThreadsTest {

  @Test
  void workQueuedWhileEveryThreadIsBusyRunsOnTheFirstThreadThatFreesUp() throws Exception {
    Scheduler scheduler = DecodingThreads.fifo("test-decoder", 2);
    try {
      CountDownLatch longUtterance = new CountDownLatch(1);
      CountDownLatch shortUtterance = new CountDownLatch(1);
      CountDownLatch bothRunning = new CountDownLatch(2);
      scheduler.schedule(() -> {
        bothRunning.countDown();
        await(longUtterance);
      });
      scheduler.schedule(() -> {
        bothRunning.countDown();
        await(shortUtterance);
      });
      assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
      // queued behind both; whichever thread frees up first must take it
      CountDownLatch queued = new CountDownLatch(3);
      for (int i = 0; i < 3; i++) {
        scheduler.schedule(queued::countDown);
      }
      shortUtterance.countDown();
      assertThat(queued.await(5, TimeUnit.SECONDS)).as("queued work ran while the long utterance still held its thread")
          .isTrue();
      assertThat(longUtterance.getCount()).isEqualTo(1);
      longUtterance.countDown();
    } finally {
      scheduler.dispose();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
