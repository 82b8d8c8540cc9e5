package io.salesvoice.telephony.domain;

/**
 * The provider may or may not have started the call: the request was sent and no usable answer came back (a read
 * timeout, a gateway timeout, a broken answer), or an earlier attempt crashed mid-way. Such a call is never started
 * again, because the lead would be phoned twice; the request is dead-lettered for someone to look it up.
 */
public class PlacementUncertain extends RuntimeException {

  public PlacementUncertain(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
