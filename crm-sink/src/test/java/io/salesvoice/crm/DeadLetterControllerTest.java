package io.salesvoice.crm;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

class DeadLetterControllerTest {

  @Test
  void reDriveNeedsTheAdminTokenAndIsDisabledWithoutOne() {
    WebTestClient secured = WebTestClient.bindToController(new DeadLetterController(null, "s3cret-admin")).build();
    secured.post().uri("/admin/crm/dead-letters/0/5/redrive").exchange()
        .expectStatus().isUnauthorized();
    secured.post().uri("/admin/crm/dead-letters/0/5/redrive").header("Authorization", "Bearer wrong").exchange()
        .expectStatus().isUnauthorized()
        .expectBody().jsonPath("$.error").value(e -> org.assertj.core.api.Assertions.assertThat(e.toString())
            .doesNotContain("s3cret"));

    WebTestClient disabled = WebTestClient.bindToController(new DeadLetterController(null, "")).build();
    disabled.post().uri("/admin/crm/dead-letters/0/5/redrive").header("Authorization", "Bearer anything").exchange()
        .expectStatus().isForbidden();
  }
}
