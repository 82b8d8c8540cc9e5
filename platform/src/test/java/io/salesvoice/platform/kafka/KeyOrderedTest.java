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
  void itemsWaitingBehindTheirKeyTakeNoSlotFromOtherKeys() {
    // one call's burst (50 items) ahead of another call's single item, two slots: the other call must not wait for
    // the burst to drain
    List<Item> items = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(new Item("burst", i));
    }
    items.add(new Item("other", 50));
    Map<String, Long> finishedAt = new ConcurrentHashMap<>();
    long start = System.nanoTime();

    KeyOrdered.flatMap(Flux.fromIterable(items), Item::key,
            item -> Mono.delay(Duration.ofMillis(10), Schedulers.parallel())
                .doOnNext(x -> finishedAt.put(item.key() + item.n(), System.nanoTime() - start)),
            2)
        .blockLast(Duration.ofSeconds(20));

    // the burst takes 50 × 10 ms one after another; the other item ran beside its first items
    assertThat(finishedAt.get("other50")).isLessThan(finishedAt.get("burst49") / 4);
    assertThat(finishedAt).hasSize(51);
  }

  @Test
  void aKeyWhoseWorkEndedTakesNewItemsAgain() {
    List<Integer> done = new CopyOnWriteArrayList<>();
    Flux<Item> items = Flux.concat(Flux.just(new Item("a", 1), new Item("a", 2)),
        Mono.delay(Duration.ofMillis(50)).thenMany(Flux.just(new Item("a", 3), new Item("b", 4), new Item("a", 5))));

    KeyOrdered.flatMap(items, Item::key, item -> Mono.just(item.n()).doOnNext(done::add), 1)
        .blockLast(Duration.ofSeconds(5));

    assertThat(done).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void aLongBacklogOfOneKeyStopsTheSourceInsteadOfFillingMemory() throws Exception {
    AtomicInteger taken = new AtomicInteger();
    reactor.core.publisher.Sinks.Empty<Void> gate = reactor.core.publisher.Sinks.empty();
    List<Integer> done = new CopyOnWriteArrayList<>();
    Flux<Item> items = Flux.range(0, 10_000).map(i -> new Item("backlog", i)).doOnNext(i -> taken.incrementAndGet());

    var run = KeyOrdered.flatMap(items, Item::key,
            item -> (item.n() == 0 ? gate.asMono().thenReturn(0) : Mono.just(item.n())).doOnNext(done::add),
            4)
        .subscribeOn(Schedulers.boundedElastic())
        .then()
        .toFuture();
    Thread.sleep(300);
    // while the first item is stuck: the items allowed to wait without a slot, the few that then hold the slots,
    // and what the operators prefetch — not the whole backlog
    assertThat(taken.get()).isLessThan(KeyOrdered.MAX_WAITING_WITHOUT_SLOT + 300);
    gate.tryEmitEmpty();
    run.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(done).hasSize(10_000).isSorted();
  }

  @Test
  void rejectsZeroConcurrency() {
    assertThatThrownBy(() -> KeyOrdered.flatMap(Flux.<Item>empty(), Item::key, Mono::just, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
