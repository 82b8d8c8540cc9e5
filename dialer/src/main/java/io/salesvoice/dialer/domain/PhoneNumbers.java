package io.salesvoice.dialer.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** E.164 is what carriers dial and what the do-not-call list is keyed by, so every number is brought to it once. */
public final class PhoneNumbers {

  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s().\\-]");

  private PhoneNumbers() {
  }

  /** The number in E.164 with spaces, dots, dashes and parentheses removed, or empty when it is not E.164. */
  public static Optional<String> e164(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String n = SEPARATORS.matcher(raw.trim()).replaceAll("");
    return E164.matcher(n).matches() ? Optional.of(n) : Optional.empty();
  }
}
