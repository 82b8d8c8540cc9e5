package io.salesvoice.telephony;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Places the dialer's outbound calls through Voximplant, each at most once. No component scan: every bean is wired in
 * {@link TelephonyConfiguration}, where its secrets are handed over explicitly.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TelephonyConfiguration.class)
public class TelephonyApplication {

  public static void main(String[] args) {
    SpringApplication.run(TelephonyApplication.class, args);
  }
}
