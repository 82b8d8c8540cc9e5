package io.salesvoice.stt.engine;

import edu.cmu.sphinx.linguist.dictionary.TextDictionary;
import edu.cmu.sphinx.linguist.dictionary.Word;
import io.salesvoice.stt.grammar.RussianPronunciation;
import io.salesvoice.stt.grammar.RussianTokens;

/**
 * Sphinx4's pronunciation dictionary (CMUdict) that also says Russian words: a grammar token such as
 * {@code ru_perezvonite} gets its ARPAbet phones from {@link RussianPronunciation} the first time a grammar uses it.
 * Named in {@code sphinx4.config.xml} as the dictionary component, so Sphinx4 builds it.
 */
public class GrammarDictionary extends TextDictionary {

  @Override
  public Word getWord(String text) {
    if (text.startsWith(RussianTokens.PREFIX)) {
      synchronized (this) {
        if (!dictionary.containsKey(text)) {
          String word = RussianTokens.word(text)
              .orElseThrow(() -> new IllegalArgumentException("not a Russian grammar token: " + text));
          // entries are kept as the dictionary file's lines: the word, then its phones; alternatives as word(2), ...
          java.util.List<String> variants = RussianPronunciation.variants(word);
          for (int i = 0; i < variants.size(); i++) {
            String key = i == 0 ? text : text + "(" + (i + 1) + ")";
            dictionary.put(key, text + " " + variants.get(i));
          }
        }
      }
    }
    return super.getWord(text);
  }

  /** Whether CMUdict has the word (Russian tokens are always said). */
  public boolean contains(String word) {
    return word.startsWith(RussianTokens.PREFIX) ? RussianTokens.word(word).isPresent() : dictionary.containsKey(word);
  }
}
