package io.salesvoice.dialog.script;

import io.salesvoice.dialog.nlu.Language;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scripts a worker knows, by id; a call names its script, or gets the first one in its language. */
public final class ScriptCatalog {

  /** The scripts shipped in the jar, one per language. */
  public static final List<String> BUILT_IN = List.of("scripts/sales-ru.yaml", "scripts/sales-en.yaml");

  private final Map<String, SalesScript> byId = new LinkedHashMap<>();

  public ScriptCatalog(List<SalesScript> scripts) {
    for (SalesScript s : scripts) {
      if (byId.put(s.id(), s) != null) {
        throw new ScriptException("two scripts have the id " + s.id());
      }
    }
    if (byId.isEmpty()) {
      throw new ScriptException("no sales script configured");
    }
  }

  public static ScriptCatalog builtIn() {
    ScriptLoader loader = new ScriptLoader();
    List<SalesScript> scripts = new ArrayList<>();
    for (String path : BUILT_IN) {
      try (InputStream in = ScriptCatalog.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new ScriptException(path + " is not on the classpath");
        }
        scripts.add(loader.load(path, in));
      } catch (java.io.IOException e) {
        throw new ScriptException(path + ": " + e.getMessage(), e);
      }
    }
    return new ScriptCatalog(scripts);
  }

  public SalesScript get(String id) {
    SalesScript s = byId.get(id);
    if (s == null) {
      throw new ScriptException("unknown script " + id);
    }
    return s;
  }

  /** The requested script if known, else the first script in the call's language, else the first script. */
  public SalesScript choose(String scriptId, Language language) {
    if (scriptId != null && byId.containsKey(scriptId)) {
      return byId.get(scriptId);
    }
    return byId.values().stream().filter(s -> s.language() == language).findFirst()
        .orElse(byId.values().iterator().next());
  }

  public List<SalesScript> all() {
    return List.copyOf(byId.values());
  }
}
