package io.salesvoice.dialog.nlu;

import java.util.Locale;

/** What the customer meant, as far as a sales script needs to know; scripts name them in lower case. */
public enum Intent {
  STOP_CALLING, ROBOT_CHECK, WHO_ARE_YOU, TRANSFER_REQUEST, REPEAT, CALL_LATER, BUSY, NOT_INTERESTED, PRICE, QUESTION,
  MAYBE, YES, NO, UNKNOWN;

  /** The name scripts use, e.g. {@code call_later}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Intent ofKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }
}
