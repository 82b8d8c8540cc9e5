package io.salesvoice.simulators.carrier;

import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /simulator/calls}: what each SIMULATED call did (persona, state, turns with voice-to-voice latency, outcome). Read-only. */
@RestController
public class SimulatorCallsController {

  private final SimulatedCarrier carrier;

  public SimulatorCallsController(SimulatedCarrier carrier) {
    this.carrier = carrier;
  }

  @GetMapping("/simulator/calls")
  public List<SimulatedCall.View> calls() {
    return carrier.calls();
  }

  @GetMapping("/simulator/calls/{callId}")
  public ResponseEntity<SimulatedCall.View> call(@PathVariable String callId) {
    return carrier.call(callId).map(c -> ResponseEntity.ok(c.view())).orElse(ResponseEntity.notFound().build());
  }
}
