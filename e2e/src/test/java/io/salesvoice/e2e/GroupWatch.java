package io.salesvoice.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;

/**
 * Watches the consumer groups of one worker from outside, the way an operator would: which members each group has, and
 * when the partitions of a killed instance are owned again (the group is stable without any of its members).
 */
final class GroupWatch {

  private final Admin admin;

  GroupWatch(Admin admin) {
    this.admin = admin;
  }

  /** Member ids by group, of the consumers whose client id starts with {@code module} (client ids name the worker). */
  Map<String, Set<String>> members(String module) {
    try {
      List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
          .map(ConsumerGroupListing::groupId).toList();
      Map<String, Set<String>> out = new TreeMap<>();
      if (groups.isEmpty()) {
        return out;
      }
      for (ConsumerGroupDescription g : admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS).values()) {
        Set<String> ids = g.members().stream().filter(m -> m.clientId().startsWith(module))
            .map(MemberDescription::consumerId).collect(Collectors.toSet());
        if (!ids.isEmpty()) {
          out.put(g.groupId(), ids);
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe the consumer groups of " + module, e);
    }
  }

  /** Waits until {@code module}'s groups hold members that are not in {@code before} (a new instance joined). */
  void awaitNewMembers(String module, Map<String, Set<String>> before, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Map<String, Set<String>> now = members(module);
      boolean joined = !before.isEmpty() && before.keySet().stream().allMatch(g -> {
        Set<String> fresh = new HashSet<>(now.getOrDefault(g, Set.of()));
        fresh.removeAll(before.get(g));
        return !fresh.isEmpty() || g.contains("-calls-");   // tts-worker's per-instance call-event group
      });
      if (joined && stable(now.keySet())) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no new " + module + " member joined its groups within " + timeout);
  }

  /**
   * Waits until every group in {@code watched} is stable with at least one member and none of {@code dead}'s members;
   * returns when that happened, or empty on timeout.
   */
  java.util.Optional<Instant> awaitTakenOver(Map<String, Set<String>> watched, Map<String, Set<String>> dead,
                                             Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        Map<String, ConsumerGroupDescription> now = admin.describeConsumerGroups(watched.keySet()).all()
            .get(10, TimeUnit.SECONDS);
        boolean done = now.values().stream().allMatch(g -> g.state() == ConsumerGroupState.STABLE
            && !g.members().isEmpty()
            && g.members().stream().noneMatch(m -> dead.getOrDefault(g.groupId(), Set.of()).contains(m.consumerId())));
        if (done) {
          return java.util.Optional.of(Instant.now());
        }
      } catch (Exception brokerBusy) {
        // retried until the deadline
      }
      Thread.sleep(250);
    }
    return java.util.Optional.empty();
  }

  private boolean stable(Set<String> groups) {
    try {
      return admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values().stream()
          .allMatch(g -> g.state() == ConsumerGroupState.STABLE || g.state() == ConsumerGroupState.EMPTY);
    } catch (Exception e) {
      return false;
    }
  }

  /** The groups of {@code snapshot} that still have a member outside {@code dead}: a survivor must take them over. */
  static Map<String, Set<String>> withSurvivors(Map<String, Set<String>> snapshot, Map<String, Set<String>> dead) {
    return snapshot.entrySet().stream()
        .filter(e -> !dead.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  static long seconds(Instant from, Instant to) {
    return Duration.between(from, to).toSeconds();
  }
}
