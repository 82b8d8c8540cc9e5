package io.salesvoice.stt.engine;

import edu.cmu.sphinx.jsgf.JSGFGrammar;
import edu.cmu.sphinx.jsgf.JSGFGrammarException;
import edu.cmu.sphinx.jsgf.JSGFGrammarParseException;
import java.io.IOException;

/**
 * Sphinx4's JSGF grammar that can be switched to another grammar file between utterances without keeping the grammars
 * loaded before: {@link JSGFGrammar#loadJSGF} keeps every grammar it ever loaded in its rule-grammar manager and links
 * them all again at every load, so memory and switching time would grow with every distinct set of expected phrases
 * a recognizer has seen. Named in {@code sphinx4.config.xml}.
 */
public class SwitchableJsgfGrammar extends JSGFGrammar {

  /** Loads the grammar {@code name}.gram from the grammar directory as if it were the first. */
  public void switchTo(String name) throws IOException, JSGFGrammarParseException, JSGFGrammarException {
    manager = null;
    loadJSGF(name);
  }
}
