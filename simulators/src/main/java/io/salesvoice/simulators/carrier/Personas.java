package io.salesvoice.simulators.carrier;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The SIMULATED customers the carrier can play ({@code carrier/personas.yaml}) and how a call gets one: the request's
 * {@code persona} parameter when it names a known persona, otherwise a choice by the lead id over a weighted mix, so a
 * lead is the same customer on every run.
 */
public final class Personas {

  public static final String RESOURCE = "/carrier/personas.yaml";
  public static final String DEFAULT_MIX =
      "interested=30,busy=15,not-interested=15,asks-price=15,voicemail=10,no-answer=10,line-busy=5";

  private final Map<String, Persona> byName;
  private final Map<String, String> hello;
  private final List<Map.Entry<String, Integer>> mix;
  private final int totalWeight;

  /** Why a call got its persona, for the call's report. */
  public record Choice(Persona persona, String why) {
  }

  private Personas(Map<String, Persona> byName, Map<String, String> hello, List<Map.Entry<String, Integer>> mix) {
    this.byName = Map.copyOf(byName);
    this.hello = Map.copyOf(hello);
    this.mix = List.copyOf(mix);
    this.totalWeight = mix.stream().mapToInt(Map.Entry::getValue).sum();
  }

  /** The bundled personas with a mix such as {@code interested=30,busy=15,no-answer=10}. */
  public static Personas load(String mix) {
    try (InputStream in = Personas.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(in, mix);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Personas parse(InputStream yaml, String mix) {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    Map<String, Object> personas = (Map<String, Object>) root.get("personas");
    Map<String, Persona> byName = new LinkedHashMap<>();
    personas.forEach((name, value) -> {
      Map<String, Object> p = (Map<String, Object>) value;
      boolean connects = !Boolean.FALSE.equals(p.get("connects"));
      Map<String, List<List<String>>> scripts = new LinkedHashMap<>();
      Map<String, Object> s = (Map<String, Object>) p.getOrDefault("scripts", Map.of());
      s.forEach((lang, variants) -> scripts.put(lang, ((List<List<Object>>) variants).stream()
          .map(v -> v.stream().map(String::valueOf).toList()).toList()));
      if (connects && scripts.getOrDefault("en", List.of()).isEmpty()) {
        throw new IllegalStateException("persona " + name + " connects but has no English lines");
      }
      byName.put(name, new Persona(name, connects, (String) p.get("endReason"),
          (String) p.getOrDefault("answeredBy", "human"), Boolean.TRUE.equals(p.get("speaksFirst")),
          Boolean.TRUE.equals(p.get("beep")), scripts));
    });
    Map<String, String> hello = new LinkedHashMap<>();
    ((Map<String, Object>) root.getOrDefault("hello", Map.of())).forEach((k, v) -> hello.put(k, String.valueOf(v)));
    return new Personas(byName, hello, parseMix(mix, byName));
  }

  /** {@code name=weight,…}; refuses unknown names, bad weights and an all-zero mix with a message that says which. */
  static List<Map.Entry<String, Integer>> parseMix(String mix, Map<String, Persona> known) {
    List<Map.Entry<String, Integer>> out = new ArrayList<>();
    for (String part : (mix == null || mix.isBlank() ? DEFAULT_MIX : mix).split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name = (eq < 0 ? p : p.substring(0, eq)).trim();
      if (!known.containsKey(name)) {
        throw new IllegalArgumentException("persona mix: unknown persona '" + name + "' (known: " + known.keySet()
            + ")");
      }
      int weight;
      try {
        weight = eq < 0 ? 1 : Integer.parseInt(p.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("persona mix: the weight of '" + name + "' is not a whole number: " + p);
      }
      if (weight < 0) {
        throw new IllegalArgumentException("persona mix: negative weight for '" + name + "'");
      }
      if (weight > 0) {
        out.add(Map.entry(name, weight));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("persona mix: no persona with a positive weight in '" + mix + "'");
    }
    return out;
  }

  public Optional<Persona> get(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name.trim()));
  }

  public Map<String, Persona> all() {
    return byName;
  }

  /** What a customer says when the agent stays silent after answering. */
  public String hello(String language) {
    return hello.getOrDefault(Persona.primary(language), hello.getOrDefault("en", "hello"));
  }

  /** The persona of a call: {@code parameters["persona"]} if known, else the lead's place in the mix. */
  public Choice choose(Map<String, String> parameters, String leadId) {
    String asked = parameters == null ? null : parameters.get("persona");
    if (asked != null && !asked.isBlank()) {
      Optional<Persona> p = get(asked);
      if (p.isPresent()) {
        return new Choice(p.get(), "parameter persona");
      }
      Persona fallback = fromMix(leadId);
      return new Choice(fallback, "unknown persona '" + asked + "' in the request; chose " + fallback.name()
          + " from the mix");
    }
    return new Choice(fromMix(leadId), "mix");
  }

  Persona fromMix(String leadId) {
    long slot = Persona.stableHash(leadId) % totalWeight;
    for (Map.Entry<String, Integer> e : mix) {
      slot -= e.getValue();
      if (slot < 0) {
        return byName.get(e.getKey());
      }
    }
    throw new IllegalStateException("unreachable: the mix's weights add up to " + totalWeight);
  }
}
