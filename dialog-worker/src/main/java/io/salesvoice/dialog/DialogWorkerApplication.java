package io.salesvoice.dialog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Runs the sales conversation (sva.transcripts to sva.dialog.turns and sva.crm.commands). */
@SpringBootApplication
public class DialogWorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(DialogWorkerApplication.class, args);
  }
}
