package io.salesvoice.dialog.script;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a prompt's {@code {variables}}. A part in square brackets is said only when every variable in it has a value:
 * {@code "Здравствуйте[, {name}]!"} greets a known lead by name and an unknown one without a dangling comma.
 */
public final class Template {

  private static final Pattern OPTIONAL = Pattern.compile("\\[([^\\[\\]]*)]");
  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private Template() {
  }

  public static String render(String template, Map<String, String> values) {
    if (template == null) {
      return "";
    }
    Matcher opt = OPTIONAL.matcher(template);
    StringBuilder withOptionals = new StringBuilder();
    while (opt.find()) {
      String part = opt.group(1);
      Matcher v = VARIABLE.matcher(part);
      boolean all = true;
      while (v.find()) {
        String value = values.get(v.group(1));
        all &= value != null && !value.isBlank();
      }
      opt.appendReplacement(withOptionals, Matcher.quoteReplacement(all ? part : ""));
    }
    opt.appendTail(withOptionals);
    Matcher v = VARIABLE.matcher(withOptionals);
    StringBuilder out = new StringBuilder();
    while (v.find()) {
      String value = values.get(v.group(1));
      v.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
    }
    v.appendTail(out);
    return out.toString().replaceAll("\\s+([,.!?])", "$1").replaceAll("\\s{2,}", " ").trim();
  }
}
