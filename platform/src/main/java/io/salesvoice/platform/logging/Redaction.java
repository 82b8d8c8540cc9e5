package io.salesvoice.platform.logging;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keeps personal data and secrets out of logs: phone numbers are masked, URLs lose their credentials and paths. */
public final class Redaction {

  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d\\s()\\-]{6,}\\d");

  private Redaction() {
  }

  /** {@code +79991234567} → {@code +7999*****67}: enough to tell calls apart, not enough to dial. */
  public static String maskPhone(String phone) {
    if (phone == null) {
      return null;
    }
    String digits = phone.replaceAll("\\D", "");
    if (digits.length() < 5) {
      return "*".repeat(digits.length());
    }
    int keepStart = Math.min(4, digits.length() - 4);
    String prefix = phone.startsWith("+") ? "+" : "";
    return prefix + digits.substring(0, keepStart) + "*".repeat(digits.length() - keepStart - 2)
        + digits.substring(digits.length() - 2);
  }

  /** Masks every phone-number-like run of digits in free text (transcripts, error messages). */
  public static String maskPhonesIn(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = PHONE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(maskPhone(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Scheme, host and port only. Webhook URLs such as Bitrix24's {@code https://portal/rest/1/<token>/} carry the secret
   * in the path, and registry URLs may carry {@code user:password@}.
   */
  public static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = URI.create(url.trim());
      if (uri.getHost() == null) {
        return "***";
      }
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/***";
    } catch (IllegalArgumentException e) {
      return "***";
    }
  }
}
