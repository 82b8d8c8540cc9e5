package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

class CallPermitsTest {

  @Test
  void aCallBeyondTheLimitWaitsForALineToBeFree() {
    CallPermits permits = new CallPermits(2);
    List<Runnable> granted = new ArrayList<>();
    permits.acquire().subscribe(granted::add);
    permits.acquire().subscribe(granted::add);
    permits.acquire().subscribe(granted::add);
    assertThat(granted).hasSize(2);
    assertThat(permits.inUse()).isEqualTo(2);

    granted.get(0).run();
    granted.get(0).run();   // a second release of the same permit changes nothing
    assertThat(granted).hasSize(3);
    assertThat(permits.inUse()).isEqualTo(2);

    granted.get(1).run();
    granted.get(2).run();
    assertThat(permits.inUse()).isZero();
  }

  @Test
  void aWaiterThatGaveUpDoesNotHoldALine() {
    CallPermits permits = new CallPermits(1);
    List<Runnable> granted = new ArrayList<>();
    permits.acquire().subscribe(granted::add);
    Disposable waiting = permits.acquire().subscribe(granted::add);
    waiting.dispose();
    granted.get(0).run();
    assertThat(granted).hasSize(1);
    assertThat(permits.inUse()).isZero();
  }

  @Test
  void atLeastOneLine() {
    assertThatThrownBy(() -> new CallPermits(0)).hasMessageContaining("at least 1");
  }
}
