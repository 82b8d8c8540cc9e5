package io.salesvoice.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class KeyOrderedTest {

  record Item(String key, int n) {
  }

  @Test
  void itemsOfOneKeyRunInArrivalOrderEvenWhenEarlierOnesAreSlower() {
    List<Item> items = Flux.range(0, 60).map(i -> new Item("call-" + (i % 3), i)).collectList().block();
    List<Item> finished = new CopyOnWriteArrayList<>();

    KeyOrdered.flatMap(Flux.fromIterable(items), Item::key,
            item -> Mono.delay(Duration.ofMillis(item.n() % 2 == 0 ? 15 : 1), Schedulers.parallel())
                .doOnNext(x -> finished.add(item)),
            8)
        .blockLast(Duration.ofSeconds(20));

    Map<String, List<Integer>> perKey = finished.stream()
        .collect(Collectors.groupingBy(Item::key, Collectors.mapping(Item::n, Collectors.toList())));
    assertThat(perKey).hasSize(3);
    perKey.values().forEach(ns -> assertThat(ns).isSorted().hasSize(20));
  }

  @Test
  void differentKeysRunConcurrentlyUpToTheLimit() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Flux<Item> items = Flux.range(0, 40).map(i -> new Item("call-" + i, i));

    KeyOrdered.flatMap(items, Item::key,
            item -> Mono.fromRunnable(() -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                .then(Mono.delay(Duration.ofMillis(20)))
                .doOnTerminate(running::decrementAndGet),   // before the slot is released downstream
            4)
        .blockLast(Duration.ofSeconds(20));

    assertThat(peak.get()).isEqualTo(4);
  }

  @Test
  void oneKeyNeverRunsTwoItemsAtOnce() {
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    Flux<Item> items = Flux.range(0, 100).map(i -> new Item("call-" + (i % 5), i));

    KeyOrdered.flatMap(items, Item::key,
            item -> Mono.fromRunnable(() -> {
                  if (inFlight.computeIfAbsent(item.key(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                  }
                })
                .then(Mono.delay(Duration.ofMillis(2)))
                .doOnTerminate(() -> inFlight.get(item.key()).decrementAndGet()),
            16)
        .blockLast(Duration.ofSeconds(20));

    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aFailedItemReleasesItsKeyForTheNext() {
    List<Integer> done = new CopyOnWriteArrayList<>();
    Flux<Item> items = Flux.just(new Item("a", 1), new Item("a", 2), new Item("a", 3));

    KeyOrdered.flatMap(items, Item::key,
            item -> item.n() == 2
                ? Mono.<Integer>error(new IllegalStateException("boom")).onErrorResume(e -> Mono.empty())
                : Mono.just(item.n()).doOnNext(done::add),
            4)
        .blockLast(Duration.ofSeconds(5));

    assertThat(done).containsExactly(1, 3);
  }

  @Test
  void rejectsZeroConcurrency() {
    assertThatThrownBy(() -> KeyOrdered.flatMap(Flux.<Item>empty(), Item::key, Mono::just, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
