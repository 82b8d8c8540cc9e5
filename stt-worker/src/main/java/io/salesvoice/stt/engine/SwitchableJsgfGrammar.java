package io.salesvoice.stt.engine;

import edu.cmu.sphinx.jsgf.JSGFGrammar;
import edu.cmu.sphinx.jsgf.JSGFGrammarException;
import edu.cmu.sphinx.jsgf.JSGFGrammarParseException;
import java.io.IOException;

/**
 * Sphinx4's JSGF grammar that can be switched to another grammar file between utterances without keeping anything of
 * the grammars loaded before. {@link JSGFGrammar#loadJSGF} keeps every grammar it ever loaded in its rule-grammar
 * manager and links them together: switching back to a grammar after another one made it decode differently than
 * when it was loaded first (measured: a free sentence the fresh grammar rejected was taken for a date). Named in
 * {@code sphinx4.config.xml}.
 */
public class SwitchableJsgfGrammar extends JSGFGrammar {

  /** Loads the grammar {@code name}.gram from the grammar directory as if it were the first. */
  public void switchTo(String name) throws IOException, JSGFGrammarParseException, JSGFGrammarException {
    manager = null;
    loadJSGF(name);
  }
}
