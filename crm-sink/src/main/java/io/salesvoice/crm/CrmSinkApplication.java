package io.salesvoice.crm;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Writes CRM commands to Bitrix24 exactly once in effect (sva.crm.commands to sva.crm.results). */
@SpringBootApplication
public class CrmSinkApplication {

  public static void main(String[] args) {
    SpringApplication.run(CrmSinkApplication.class, args);
  }
}
