package io.salesvoice.dialer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Runs outbound calling campaigns: leads in, CallRequests out on sva.dialer.requests, outcomes from sva.calls. */
@SpringBootApplication
public class DialerApplication {

  public static void main(String[] args) {
    SpringApplication.run(DialerApplication.class, args);
  }
}
