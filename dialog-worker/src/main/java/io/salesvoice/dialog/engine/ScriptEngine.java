package io.salesvoice.dialog.engine;

import io.salesvoice.dialog.knowledge.KnowledgeAnswer;
import io.salesvoice.dialog.knowledge.KnowledgeBase;
import io.salesvoice.dialog.nlu.DateTimeParser;
import io.salesvoice.dialog.nlu.Intent;
import io.salesvoice.dialog.nlu.IntentDetector;
import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.nlu.SlotExtractor;
import io.salesvoice.dialog.script.Action;
import io.salesvoice.dialog.script.SalesScript;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.script.ScriptState;
import io.salesvoice.dialog.script.Template;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;

/**
 * The embedded, offline dialog engine: walks the sales script with rule-based intents and slots. Deterministic, so a
 * redelivered utterance gets the very same answer, and fast (microseconds), so it is also the LLM's fallback.
 */
public final class ScriptEngine implements DialogEngine {

  public static final String NAME = "script";
  /** The slot a collected date/time is kept in (ISO local date-time), and its spoken form. */
  public static final String DATETIME = "datetime";
  public static final String DATETIME_TEXT = "datetime_text";
  private static final String PARTIAL_DATE = "_date";
  private static final Set<Intent> HARD = Set.of(Intent.STOP_CALLING, Intent.TRANSFER_REQUEST);
  private static final int MAX_HOPS = 5;

  private final ScriptCatalog scripts;
  private final KnowledgeBase knowledge;
  private final Clock clock;
  private final IntentDetector intents = new IntentDetector();
  private final SlotExtractor slotExtractor = new SlotExtractor();
  private final DateTimeParser dates = new DateTimeParser();

  /** @param clock the campaign's time zone: "завтра в три" means three o'clock where the customer is */
  public ScriptEngine(ScriptCatalog scripts, KnowledgeBase knowledge, Clock clock) {
    this.scripts = scripts;
    this.knowledge = knowledge;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Flux<ReplyEvent> open(Conversation conversation) {
    return stream(start(conversation));
  }

  @Override
  public Flux<ReplyEvent> reply(Conversation conversation, String utterance) {
    return Flux.defer(() -> stream(decide(conversation, utterance)));
  }

  @Override
  public Flux<ReplyEvent> jump(Conversation conversation, String role) {
    return Flux.defer(() -> stream(enterRole(conversation, role, null, null)));
  }

  /** Streams a computed turn: its sentences, the last one marked, then the turn. */
  public static Flux<ReplyEvent> stream(Turn turn) {
    List<ReplyEvent> events = new ArrayList<>();
    for (int i = 0; i < turn.sentences().size(); i++) {
      events.add(new ReplyEvent.Sentence(turn.sentences().get(i), i == turn.sentences().size() - 1 ? turn : null));
    }
    events.add(new ReplyEvent.Done(turn));
    return Flux.fromIterable(events);
  }

  public SalesScript script(Conversation c) {
    return scripts.choose(c.scriptId(), c.language());
  }

  /** The opening turn: the start state's lines. */
  public Turn start(Conversation c) {
    SalesScript script = script(c);
    List<String> said = new ArrayList<>();
    Conversation next = enter(script, c, script.start(), said);
    return finish(c, next, null, said, null, null);
  }

  /** Moves the call to a role's ending, e.g. when the LLM called a tool; the ending's line is said unless the LLM spoke. */
  public Turn enterRole(Conversation c, String role, String customer, String agentAlreadySaid) {
    SalesScript script = script(c);
    ScriptState target = script.role(role)
        .orElseThrow(() -> new IllegalArgumentException("script " + script.id() + " has no " + role + " role"));
    List<String> said = new ArrayList<>();
    Conversation next = enter(script, c, target.name(), said);
    if (agentAlreadySaid != null && !agentAlreadySaid.isBlank()) {
      said.clear();
    }
    return finish(c, next, role, said, null, customer);
  }

  /** The script's answer to one utterance. */
  public Turn decide(Conversation c, String utterance) {
    SalesScript script = script(c);
    if (c.ended()) {
      return new Turn(List.of(), c, null, Action.HANG_UP, null, false);
    }
    ScriptState state = script.state(c.state());
    Language lang = c.language();
    List<Intent> found = intents.detectAll(utterance, lang);
    Intent primary = found.isEmpty() ? Intent.UNKNOWN : found.get(0);

    Map<String, String> slots = new LinkedHashMap<>(c.slots());
    Map<String, String> vars = new HashMap<>(c.variables());
    slotExtractor.extract(utterance, lang, Set.copyOf(state.collect())).forEach(slots::put);
    boolean dateOnly = false;
    if (state.collects(DATETIME) || primary == Intent.CALL_LATER) {
      LocalDateTime now = LocalDateTime.now(clock);
      DateTimeParser.Spoken earlier = vars.containsKey(PARTIAL_DATE)
          ? new DateTimeParser.Spoken(LocalDate.parse(vars.get(PARTIAL_DATE)), null) : null;
      DateTimeParser.Spoken spoken = dates.parse(utterance, lang, now.toLocalDate());
      if (!spoken.isEmpty()) {
        spoken = spoken.orElse(earlier);
        Optional<LocalDateTime> at = spoken.resolve(now);
        if (at.isPresent() && at.get().isAfter(now)) {
          slots.put(DATETIME, at.get().toString());
          slots.put(DATETIME_TEXT, SpokenDates.say(at.get(), lang));
          vars.remove(PARTIAL_DATE);
        } else if (spoken.date() != null && spoken.time() == null) {
          vars.put(PARTIAL_DATE, spoken.date().toString());
          dateOnly = true;
        }
      }
    }
    Conversation c1 = c.withSlots(slots).withVariables(vars);
    boolean filled = !state.collect().isEmpty() && state.collect().stream().allMatch(slots::containsKey)
        && state.collect().stream().anyMatch(s -> !slots.get(s).equals(c.slots().get(s)));

    String target = null;
    if (HARD.contains(primary)) {
      target = state.on().getOrDefault(primary.key(), script.global().get(primary.key()));
    }
    if (target == null && filled && state.on().containsKey("filled")) {
      target = state.on().get("filled");
    }
    if (target == null && state.on().containsKey(primary.key())) {
      target = state.on().get(primary.key());
    }
    if (target == null && script.global().containsKey(primary.key())) {
      target = script.global().get(primary.key());
    }
    List<String> said = new ArrayList<>();
    if (target != null) {
      Conversation next = enter(script, c1.withFailedAttempts(0), target, said);
      return finish(c, next, primary.key(), said, null, utterance);
    }
    Optional<String> interjection = script.reply(primary.key());
    if (interjection.isPresent()) {
      String source = null;
      String line = interjection.get();
      if (line.contains("{kb}")) {
        // The campaign's own FAQ first, then the script's.
        Optional<KnowledgeAnswer> answer = Optional.ofNullable(c.campaignId())
            .flatMap(base -> knowledge.answer(base, lang, utterance))
            .or(() -> knowledge.answer(script.knowledgeBase(), lang, utterance));
        source = answer.map(KnowledgeAnswer::source).orElse(null);
        line = answer.map(KnowledgeAnswer::text).orElse(script.reply("noAnswer").orElse(""));
      }
      say(said, line, c1.values(script.variables()));
      if (primary == Intent.REPEAT) {
        say(said, state.say(), c1.values(script.variables()));
      }
      say(said, question(state), c1.values(script.variables()));
      return finish(c, c1.withFailedAttempts(0), primary.key(), said, source, utterance);
    }
    if (dateOnly && state.askTime() != null) {
      say(said, state.askTime(), c1.values(script.variables()));
      return finish(c, c1.withFailedAttempts(0), primary.key(), said, null, utterance);
    }
    if (state.on().containsKey("answer") && !utterance.isBlank()) {
      Conversation next = enter(script, c1.withFailedAttempts(0), state.on().get("answer"), said);
      return finish(c, next, primary.key(), said, null, utterance);
    }
    int failed = c.failedAttempts() + 1;
    if (failed > script.maxFailedAttempts() && script.onRepeatedFailure() != null) {
      Conversation next = enter(script, c1.withFailedAttempts(failed), script.onRepeatedFailure(), said);
      return finish(c, next, primary.key(), said, null, utterance);
    }
    say(said, state.reprompt() != null ? state.reprompt() : script.reply("reprompt").orElse(""),
        c1.values(script.variables()));
    say(said, question(state), c1.values(script.variables()));
    return finish(c, c1.withFailedAttempts(failed), primary.key(), said, null, utterance);
  }

  /** Enters a state, saying its lines; skips states whose slots are already filled (e.g. "перезвоните завтра в три"). */
  private Conversation enter(SalesScript script, Conversation c, String target, List<String> said) {
    String name = target;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      ScriptState st = script.state(name);
      boolean skip = !st.terminal() && !st.collect().isEmpty() && st.on().containsKey("filled")
          && st.collect().stream().allMatch(c.slots()::containsKey);
      if (!skip) {
        say(said, st.say(), c.values(script.variables()));
        boolean dateKnown = st.collects(DATETIME) && c.variables().containsKey(PARTIAL_DATE) && st.askTime() != null;
        say(said, dateKnown ? st.askTime() : st.ask(), c.values(script.variables()));
        return c.withState(name, st.terminal());
      }
      name = st.on().get("filled");
    }
    throw new IllegalStateException("script " + script.id() + " skips more than " + MAX_HOPS + " states from " + target);
  }

  private Turn finish(Conversation before, Conversation next, String intent, List<String> said, String source,
                      String customer) {
    SalesScript script = script(next);
    ScriptState st = script.state(next.state());
    Action action = st.terminal() ? st.end() : Action.SPEAK;
    List<String> sentences = new ArrayList<>();
    said.forEach(s -> sentences.addAll(SentenceSplitter.split(s)));
    Conversation after = next.after(customer, String.join(" ", sentences));
    return new Turn(sentences, after, intent, action, source, false);
  }

  private static String question(ScriptState state) {
    return state.ask() != null ? state.ask() : state.say();
  }

  private static void say(List<String> said, String template, Map<String, String> values) {
    String text = Template.render(template, values);
    if (!text.isBlank()) {
      said.add(text);
    }
  }
}
