package io.salesvoice.dialer;

import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.DialerRetryRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** A campaign as the API shows it: the request's shape plus status and times (Avro objects do not map to JSON as is). */
final class CampaignJson {

  private CampaignJson() {
  }

  static Map<String, Object> of(Campaign c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.getCampaignId());
    m.put("name", c.getName());
    m.put("scriptId", c.getScriptId());
    m.put("language", c.getLanguage());
    m.put("callingHours", Map.of("start", c.getCallingHoursStart(), "end", c.getCallingHoursEnd()));
    m.put("maxConcurrentCalls", c.getMaxConcurrentCalls());
    m.put("callsPerSecond", c.getCallsPerSecond());
    m.put("ringTimeoutSeconds", c.getRingTimeoutSeconds());
    m.put("retry", Map.of("noAnswer", rule(c.getNoAnswerRetry()), "busy", rule(c.getBusyRetry()),
        "voicemail", rule(c.getVoicemailRetry())));
    m.put("status", c.getStatus().name());
    m.put("createdAt", c.getCreatedAt().toString());
    m.put("updatedAt", c.getUpdatedAt().toString());
    return m;
  }

  private static Map<String, Object> rule(DialerRetryRule r) {
    return Map.of("maxAttempts", r.getMaxAttempts(), "delaySeconds", r.getDelaySeconds());
  }
}
