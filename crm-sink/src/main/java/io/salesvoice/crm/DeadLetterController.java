package io.salesvoice.crm;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The operator's way to re-drive a dead-lettered command: {@code POST /admin/crm/dead-letters/{partition}/{offset}}. */
@RestController
@RequestMapping("/admin/crm/dead-letters")
class DeadLetterController {

  private final DeadLetterRedrive redrive;

  DeadLetterController(DeadLetterRedrive redrive) {
    this.redrive = redrive;
  }

  @PostMapping("/{partition}/{offset}/redrive")
  Mono<ResponseEntity<Object>> redrive(@PathVariable int partition, @PathVariable long offset) {
    return redrive.redrive(partition, offset)
        .map(r -> ResponseEntity.status(HttpStatus.ACCEPTED).body((Object) r))
        .onErrorResume(DeadLetterRedrive.NotRedrivable.class,
            e -> Mono.just(ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()))));
  }
}
