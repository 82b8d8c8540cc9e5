package io.salesvoice.crm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The operator's way to re-drive a dead-lettered command: {@code POST /admin/crm/dead-letters/{partition}/{offset}/redrive}
 * with {@code Authorization: Bearer <SVA_CRM_ADMIN_TOKEN>}. Without a configured token the endpoint is disabled.
 */
@RestController
@RequestMapping("/admin/crm/dead-letters")
class DeadLetterController {

  private final DeadLetterRedrive redrive;
  private final byte[] adminToken;

  DeadLetterController(DeadLetterRedrive redrive, @Value("${sva.crm.admin-token:}") String adminToken) {
    this.redrive = redrive;
    this.adminToken = adminToken == null ? new byte[0] : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  @PostMapping("/{partition}/{offset}/redrive")
  Mono<ResponseEntity<Object>> redrive(@PathVariable int partition, @PathVariable long offset,
                                       @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
    if (adminToken.length == 0) {
      return Mono.just(ResponseEntity.status(HttpStatus.FORBIDDEN)
          .body(Map.of("error", "re-drive is disabled: set SVA_CRM_ADMIN_TOKEN to enable it")));
    }
    if (!authorized(auth)) {
      return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .body(Map.of("error", "a valid 'Authorization: Bearer <admin token>' header is required")));
    }
    return redrive.redrive(partition, offset)
        .map(r -> ResponseEntity.status(HttpStatus.ACCEPTED).body((Object) r))
        .onErrorResume(DeadLetterRedrive.NotRedrivable.class,
            e -> Mono.just(ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()))));
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(adminToken, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
  }
}
