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
    builder().run(args);
  }

  /** The application with its own configuration file. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(SimulatedCarrierApplication.class)
        .properties("spring.config.name=simulated-carrier");
  }
}
