package io.salesvoice.dialer;

import io.salesvoice.platform.topics.Topics;

/** The topics the dialer reads and writes; the catalogue's in production, fresh ones per test. */
public record DialerTopics(String campaigns, String leads, String leadState, String doNotCall, String calls,
                           String requests) {

  public static DialerTopics catalogue() {
    return new DialerTopics(Topics.DIALER_CAMPAIGNS, Topics.DIALER_LEADS, Topics.DIALER_LEAD_STATE,
        Topics.DIALER_DO_NOT_CALL, Topics.CALLS, Topics.DIALER_REQUESTS);
  }
}
