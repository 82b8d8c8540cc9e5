package io.salesvoice.ingest.live;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/calls/{callId}/events?token=…}: the call's live transcripts and turns as server-sent events, for the
 * browser test client. EventSource cannot send headers, so the call's media token (checked by the access filter,
 * which requires it to name this call) authenticates it instead of the API key.
 */
@RestController
public class LiveCallEventsController {

  private final LiveCallEvents events;

  public LiveCallEventsController(LiveCallEvents events) {
    this.events = events;
  }

  @GetMapping("/api/calls/{callId}/events")
  public ResponseEntity<?> events(@PathVariable String callId) {
    try {
      return ResponseEntity.ok()
          .contentType(MediaType.TEXT_EVENT_STREAM)
          .header("Cache-Control", "no-store")
          .header("X-Accel-Buffering", "no") // a proxy in front must not buffer the stream
          .body(events.follow(callId));
    } catch (LiveCallEvents.TooManyViewersException e) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
          .body(Map.of("status", 503, "error", "Service Unavailable", "message", e.getMessage()));
    }
  }
}
