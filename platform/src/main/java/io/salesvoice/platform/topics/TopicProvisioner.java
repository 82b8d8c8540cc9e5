package io.salesvoice.platform.topics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalogue's topics that do not exist yet, so a worker can start against an empty cluster. */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long TIMEOUT_SECONDS = 60;

  private final Admin admin;
  private final short replicationFactor;

  public TopicProvisioner(Admin admin, short replicationFactor) {
    this.admin = admin;
    this.replicationFactor = replicationFactor;
  }

  /**
   * Creates the missing topics and returns their names. An existing topic is left as it is; one with fewer partitions
   * than the catalogue asks is reported, not changed, because adding partitions moves keys between partitions.
   */
  public List<String> ensure(Collection<TopicSpec> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.config()))
          .toList();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e; // another instance creating the same topic at the same time is fine
          }
        }
      }
      warnAboutPartitions(topics, existing);
      List<String> created = missing.stream().map(NewTopic::name).toList();
      if (!created.isEmpty()) {
        log.info("Created topics {}", created);
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the catalogue's topics: " + e.getMessage(), e);
    }
  }

  private void warnAboutPartitions(Collection<TopicSpec> topics, Set<String> existing)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> names = topics.stream().map(TopicSpec::name).filter(existing::contains).toList();
    if (names.isEmpty()) {
      return;
    }
    Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    for (TopicSpec spec : topics) {
      TopicDescription d = described.get(spec.name());
      if (d != null && d.partitions().size() < spec.partitions()) {
        log.warn("Topic {} has {} partitions, the catalogue asks for {}: fewer instances can share its load",
            spec.name(), d.partitions().size(), spec.partitions());
      }
    }
  }
}
