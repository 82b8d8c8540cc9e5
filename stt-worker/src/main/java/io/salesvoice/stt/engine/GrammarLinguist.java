package io.salesvoice.stt.engine;

import edu.cmu.sphinx.linguist.flat.FlatLinguist;

/**
 * Sphinx4's flat (grammar) linguist whose out-of-grammar branch can be weighed per grammar: Russian phrases said with
 * the English acoustic model score far lower against the phone loop than English ones, so a grammar of them needs a
 * less eager out-of-grammar branch. Named in {@code sphinx4.config.xml}; takes effect when the next grammar compiles.
 */
public class GrammarLinguist extends FlatLinguist {

  private boolean saved;
  private float configuredBranch;
  private float configuredPhone;

  /**
   * Weighs the out-of-grammar branch of the grammars compiled from now on.
   *
   * @param branchProbability probability of entering the branch instead of the grammar
   * @param phoneProbability probability of each phone inside the branch
   */
  public void outOfGrammar(double branchProbability, double phoneProbability) {
    save();
    logOutOfGrammarBranchProbability = logMath.linearToLog(branchProbability);
    logPhoneInsertionProbability = logMath.linearToLog(phoneProbability);
  }

  /** Back to the weights of the configuration. */
  public void configuredOutOfGrammar() {
    save();
    logOutOfGrammarBranchProbability = configuredBranch;
    logPhoneInsertionProbability = configuredPhone;
  }

  private void save() {
    if (!saved) {
      configuredBranch = logOutOfGrammarBranchProbability;
      configuredPhone = logPhoneInsertionProbability;
      saved = true;
    }
  }
}
