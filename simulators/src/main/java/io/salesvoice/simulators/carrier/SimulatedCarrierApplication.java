package io.salesvoice.simulators.carrier;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Runs the SIMULATED carrier: answers the dialer's outbound calls on ingest-audio as scripted customers (demo, load).
 * Its configuration is {@code simulated-carrier.yml}, not {@code application.yml}, so modules that test against the
 * simulators never pick it up.
 */
@SpringBootApplication
public class SimulatedCarrierApplication {

  public static void main(String[] args) {
    new SpringApplicationBuilder(SimulatedCarrierApplication.class)
        .properties("spring.config.name=simulated-carrier")
        .run(args);
  }
}
