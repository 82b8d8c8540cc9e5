package io.salesvoice.telephony.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The scenario's custom data as one JSON string: VoxEngine hands it over as text and the scenario parses it. */
public final class CustomDataJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CustomDataJson() {
  }

  public static String write(Map<String, Object> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("custom data cannot be written as JSON", e);
    }
  }
}
