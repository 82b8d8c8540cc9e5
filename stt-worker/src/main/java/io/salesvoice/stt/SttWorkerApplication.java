package io.salesvoice.stt;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Turns customer audio into transcripts (sva.audio.in to sva.transcripts). */
@SpringBootApplication
public class SttWorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(SttWorkerApplication.class, args);
  }
}
