package io.salesvoice.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The telephony edge: live media streams and recorded-call replay in, agent audio back to the caller. */
@SpringBootApplication
public class IngestAudioApplication {

  public static void main(String[] args) {
    SpringApplication.run(IngestAudioApplication.class, args);
  }
}
