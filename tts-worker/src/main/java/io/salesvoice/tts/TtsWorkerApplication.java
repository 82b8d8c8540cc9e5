package io.salesvoice.tts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Speaks the agent's turns (sva.dialog.turns to sva.audio.out). */
@SpringBootApplication
public class TtsWorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(TtsWorkerApplication.class, args);
  }
}
