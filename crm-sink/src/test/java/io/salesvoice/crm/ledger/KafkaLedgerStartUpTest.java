package io.salesvoice.crm.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.EmbeddedKafkaBroker;
import io.salesvoice.platform.topics.TopicProvisioner;
import io.salesvoice.platform.topics.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The ledger reader at start-up, when the broker does not answer metadata requests in time (not up yet, or too busy:
 * found by the fault suite, where eight JVMs start at once on two cores): it must keep asking, not stop for good and
 * leave crm-sink waiting for a ledger that never becomes ready.
 */
class KafkaLedgerStartUpTest {

  @Test
  void aBrokerThatAnswersLateStillGetsTheLedgerReady() throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    KafkaSettings settings = KafkaSettings.of("127.0.0.1:" + port, "http://127.0.0.1:1/apis/ccompat/v7", "ledger-test");
    Path dir = Files.createTempDirectory("ledger-start-");
    try (KafkaLedger ledger = new KafkaLedger(settings, Topics.CRM_APPLIED, RecordSender.create(settings))) {
      // longer than the reader's 10 s metadata wait: the first request times out before the broker exists
      Thread.sleep(13_000);
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, port, controllerPort);
           Admin admin = Admin.create(settings.adminConfig())) {
        new TopicProvisioner(admin, (short) 1).ensure(List.of(Topics.get(Topics.CRM_APPLIED)));
        ledger.ready().block(Duration.ofSeconds(60));
        assertThat(ledger.size()).isZero();
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
