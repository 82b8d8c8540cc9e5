package io.salesvoice.simulators.carrier;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One kind of SIMULATED customer: whether the call connects at all, who answers (a human or a machine), and the lines
 * they say after each agent turn, per language.
 *
 * @param name        e.g. {@code interested}, {@code no-answer}
 * @param connects    false for a call that rings out or finds the line busy
 * @param endReason   for a call that never connects: the {@code CallEndReason} ({@code NO_ANSWER}, {@code BUSY})
 * @param answeredBy  Twilio's AnsweredBy for the start frame: {@code human}, {@code machine_start}, …
 * @param speaksFirst talks as soon as the call connects, without waiting for the agent (an answering machine)
 * @param beep        a beep after the first line (an answering machine)
 * @param scripts     language ({@code en}, {@code ru}) → variants → lines
 */
public record Persona(String name, boolean connects, String endReason, String answeredBy, boolean speaksFirst,
                      boolean beep, Map<String, List<List<String>>> scripts) {

  public Persona {
    scripts = scripts == null ? Map.of() : Map.copyOf(scripts);
  }

  /** The lines this persona says to this lead in {@code language}, English when it has none in that language. */
  public List<String> lines(String language, String leadId) {
    List<List<String>> variants = scripts.getOrDefault(primary(language), scripts.getOrDefault("en", List.of()));
    if (variants.isEmpty()) {
      return List.of();
    }
    return variants.get((int) (stableHash(leadId + "|" + name) % variants.size()));
  }

  /** The language the lines come in: the requested one when the persona has it, else English. */
  public String linesLanguage(String language) {
    return scripts.containsKey(primary(language)) ? language : "en-US";
  }

  static String primary(String language) {
    String tag = language == null ? "en" : language.toLowerCase(Locale.ROOT).replace('_', '-');
    int dash = tag.indexOf('-');
    return dash > 0 ? tag.substring(0, dash) : tag;
  }

  /** CRC32: the same lead gets the same persona and variant on every run and every JVM. */
  static long stableHash(String s) {
    CRC32 crc = new CRC32();
    crc.update((s == null ? "" : s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
