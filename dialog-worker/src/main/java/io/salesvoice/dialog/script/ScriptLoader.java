package io.salesvoice.dialog.script;

import io.salesvoice.dialog.nlu.Intent;
import io.salesvoice.dialog.nlu.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a sales script from YAML and checks it whole before the first call uses it: every target state exists,
 * every intent is one the engine detects, endings have outcomes and no way out.
 */
public final class ScriptLoader {

  /** Transition keys besides intents: all collected slots filled, or any free-text answer. */
  public static final Set<String> SPECIAL_KEYS = Set.of("filled", "answer");
  private static final Set<String> SLOTS = Set.of("name", "company", "email", "phone", "budget", "team_size", "datetime");

  public SalesScript load(String source, InputStream in) {
    Map<String, Object> root;
    try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      Object parsed = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
          options, new PlainWords()).load(reader);
      if (!(parsed instanceof Map<?, ?>)) {
        throw new ScriptException(source + ": not a YAML mapping");
      }
      root = cast(parsed);
    } catch (IOException e) {
      throw new ScriptException(source + ": cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof ScriptException) {
        throw e;
      }
      throw new ScriptException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    List<String> errors = new ArrayList<>();
    String id = string(root, "id", errors, source);
    Map<String, ScriptState> states = new LinkedHashMap<>();
    Map<String, Object> rawStates = map(root.get("states"));
    if (rawStates.isEmpty()) {
      errors.add("no states");
    }
    rawStates.forEach((name, value) -> states.put(name, state(name, map(value), errors)));
    SalesScript script = new SalesScript(
        id,
        Language.of(string(root, "language", errors, source)),
        (String) root.get("description"),
        (String) root.getOrDefault("knowledgeBase", "default"),
        string(root, "start", errors, source),
        root.get("maxFailedAttempts") instanceof Number n ? n.intValue() : 2,
        (String) root.get("onRepeatedFailure"),
        strings(root.get("variables")),
        strings(root.get("roles")),
        strings(root.get("global")),
        strings(root.get("replies")),
        states,
        examples(root.get("examples"), errors));
    validate(script, errors);
    if (!errors.isEmpty()) {
      throw new ScriptException(source + ": " + String.join("; ", errors));
    }
    return script;
  }

  private ScriptState state(String name, Map<String, Object> raw, List<String> errors) {
    Action end = null;
    if (raw.get("end") != null) {
      try {
        end = Action.valueOf(raw.get("end").toString().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add("state " + name + ": end must be hang_up or transfer, not " + raw.get("end"));
      }
    }
    Outcome outcome = null;
    Map<String, Object> o = map(raw.get("outcome"));
    if (!o.isEmpty()) {
      Outcome.FollowUp activity = null;
      if (o.get("activity") != null) {
        try {
          activity = Outcome.FollowUp.valueOf(o.get("activity").toString().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          errors.add("state " + name + ": activity must be MEETING, CALLBACK or TASK");
        }
      }
      outcome = new Outcome(String.valueOf(o.getOrDefault("result", name)), String.valueOf(o.getOrDefault("status", "200")),
          activity, (String) o.get("subject"), Boolean.TRUE.equals(o.get("doNotCall")));
    }
    List<String> collect = raw.get("collect") instanceof List<?> l
        ? l.stream().map(Object::toString).toList() : List.of();
    return new ScriptState(name, (String) raw.get("say"), (String) raw.get("ask"), (String) raw.get("reprompt"), collect,
        (String) raw.get("askTime"), strings(raw.get("on")), end, outcome);
  }

  private void validate(SalesScript s, List<String> errors) {
    Set<String> intents = Stream.of(Intent.values()).map(Intent::key).collect(Collectors.toSet());
    if (s.start() != null && !s.states().containsKey(s.start())) {
      errors.add("start state " + s.start() + " does not exist");
    }
    if (s.onRepeatedFailure() != null && !s.states().containsKey(s.onRepeatedFailure())) {
      errors.add("onRepeatedFailure state " + s.onRepeatedFailure() + " does not exist");
    }
    s.roles().forEach((role, target) -> {
      if (!SalesScript.ROLES.contains(role)) {
        errors.add("unknown role " + role + " (known: " + SalesScript.ROLES + ")");
      }
      if (!s.states().containsKey(target) || !s.states().get(target).terminal()) {
        errors.add("role " + role + " must name an ending, not " + target);
      }
    });
    s.global().forEach((intent, target) -> {
      if (!intents.contains(intent)) {
        errors.add("global: unknown intent " + intent);
      }
      if (!s.states().containsKey(target)) {
        errors.add("global: " + intent + " leads to missing state " + target);
      }
    });
    s.replies().keySet().stream()
        .filter(k -> !intents.contains(k) && !k.equals("noAnswer") && !k.equals("reprompt"))
        .forEach(k -> errors.add("replies: unknown intent " + k));
    for (ScriptState st : s.states().values()) {
      if (st.say() == null && st.ask() == null) {
        errors.add("state " + st.name() + " says nothing");
      }
      st.collect().stream().filter(slot -> !SLOTS.contains(slot))
          .forEach(slot -> errors.add("state " + st.name() + ": unknown slot " + slot + " (known: " + SLOTS + ")"));
      st.on().forEach((intent, target) -> {
        if (!intents.contains(intent) && !SPECIAL_KEYS.contains(intent)) {
          errors.add("state " + st.name() + ": unknown intent " + intent);
        }
        if (!s.states().containsKey(target)) {
          errors.add("state " + st.name() + ": " + intent + " leads to missing state " + target);
        }
      });
      if (st.terminal() && !st.on().isEmpty()) {
        errors.add("state " + st.name() + " is an ending and cannot have transitions");
      }
      if (st.terminal() && st.outcome() == null) {
        errors.add("ending " + st.name() + " has no outcome for the CRM");
      }
      if (!st.terminal() && st.on().isEmpty()) {
        errors.add("state " + st.name() + " has no way out");
      }
    }
  }

  /**
   * YAML 1.1 reads the keys {@code on}, {@code yes} and {@code no} as booleans, and scripts need them as words: only
   * {@code true} and {@code false} are booleans here, as in YAML 1.2.
   */
  private static final class PlainWords extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }

  /** {@code examples}: intent or slot key → the phrases customers say for it. */
  private static Map<String, List<String>> examples(Object raw, List<String> errors) {
    Set<String> intents = Stream.of(Intent.values()).map(Intent::key).collect(Collectors.toSet());
    Map<String, List<String>> out = new LinkedHashMap<>();
    map(raw).forEach((key, value) -> {
      if (!intents.contains(key) && !SLOTS.contains(key)) {
        errors.add("examples: " + key + " is neither an intent nor a slot");
        return;
      }
      if (!(value instanceof List<?> list) || list.isEmpty()
          || list.stream().anyMatch(p -> !(p instanceof String s) || s.isBlank())) {
        errors.add("examples: " + key + " must be a list of phrases");
        return;
      }
      out.put(key, list.stream().map(p -> ((String) p).strip()).toList());
    });
    return out;
  }

  private static String string(Map<String, Object> root, String key, List<String> errors, String source) {
    Object v = root.get(key);
    if (v == null) {
      errors.add("missing " + key);
      return null;
    }
    return v.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> ? cast(o) : Map.of();
  }

  private static Map<String, String> strings(Object o) {
    Map<String, String> out = new LinkedHashMap<>();
    map(o).forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
    return out;
  }
}
