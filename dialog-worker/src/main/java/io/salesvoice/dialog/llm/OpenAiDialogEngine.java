package io.salesvoice.dialog.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.dialog.engine.DialogEngine;
import io.salesvoice.dialog.engine.ReplyEvent;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.engine.SentenceSplitter;
import io.salesvoice.dialog.engine.SpokenDates;
import io.salesvoice.dialog.engine.Turn;
import io.salesvoice.dialog.knowledge.KnowledgeAnswer;
import io.salesvoice.dialog.knowledge.KnowledgeBase;
import io.salesvoice.dialog.nlu.DateTimeParser;
import io.salesvoice.dialog.nlu.Intent;
import io.salesvoice.dialog.nlu.IntentDetector;
import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.script.Action;
import io.salesvoice.dialog.script.SalesScript;
import io.salesvoice.dialog.script.ScriptState;
import io.salesvoice.dialog.script.Template;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The LLM dialog engine: an OpenAI-compatible chat model, streamed, guided by the same sales script (its state,
 * slots and the retrieved knowledge go into the prompt) and acting through function tools. Sentences are spoken as
 * soon as they are complete. Without a first sentence in time, or on a malformed reply, the script engine's line is
 * said instead, so the caller never hears silence.
 */
public final class OpenAiDialogEngine implements DialogEngine {

  public static final String NAME = "llm";
  private static final Logger log = LoggerFactory.getLogger(OpenAiDialogEngine.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAIClientAsync client;
  private final ScriptEngine script;
  private final KnowledgeBase knowledge;
  private final Clock clock;
  private final Settings settings;
  private final IntentDetector intents = new IntentDetector();
  private final DateTimeParser dates = new DateTimeParser();

  /** Model and time limits. */
  public record Settings(String model, Duration firstSentenceTimeout, Duration turnTimeout, double temperature,
                         long maxTokens) {
  }

  public OpenAiDialogEngine(OpenAIClientAsync client, ScriptEngine script, KnowledgeBase knowledge, Clock clock,
                            Settings settings) {
    this.client = client;
    this.script = script;
    this.knowledge = knowledge;
    this.clock = clock;
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The greeting is the script's: it is said the instant the call starts, without waiting for a model. */
  @Override
  public Flux<ReplyEvent> open(Conversation conversation) {
    return script.open(conversation);
  }

  @Override
  public Flux<ReplyEvent> jump(Conversation conversation, String role) {
    return script.jump(conversation, role);
  }

  @Override
  public Flux<ReplyEvent> reply(Conversation c, String utterance) {
    return Flux.defer(() -> {
      Turn scripted = script.decide(c, utterance);
      if (c.ended()) {
        return ScriptEngine.stream(scripted);
      }
      SalesScript sc = script.script(c);
      Optional<KnowledgeAnswer> answer = Optional.ofNullable(c.campaignId())
          .flatMap(base -> knowledge.answer(base, c.language(), utterance))
          .or(() -> knowledge.answer(sc.knowledgeBase(), c.language(), utterance));
      ChatCompletionCreateParams params = request(sc, c, utterance, answer);
      Accumulator acc = new Accumulator(c, utterance, scripted, answer.map(KnowledgeAnswer::source).orElse(null));
      Flux<ReplyEvent> streamed = chunks(params)
          .concatMapIterable(acc::onChunk)
          .concatWith(Flux.defer(() -> Flux.fromIterable(acc.finish())));
      return streamed
          .timeout(Mono.delay(settings.firstSentenceTimeout()), e -> Mono.delay(settings.turnTimeout()))
          .onErrorResume(e -> {
            if (!acc.spoke.get()) {
              log.warn("Call {}: the LLM gave no sentence ({}); saying the script's line", c.callId(), describe(e));
              return ScriptEngine.stream(scripted.asFallback());
            }
            log.warn("Call {}: the LLM stream broke off after speaking ({}); ending the turn there", c.callId(),
                describe(e));
            return Flux.just(acc.interrupted());
          });
    });
  }

  private Flux<ChatCompletionChunk> chunks(ChatCompletionCreateParams params) {
    return Flux.create(sink -> {
      AsyncStreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(params);
      sink.onDispose(response::close);
      response.subscribe(new AsyncStreamResponse.Handler<>() {
        @Override
        public void onNext(ChatCompletionChunk chunk) {
          sink.next(chunk);
        }

        @Override
        public void onComplete(Optional<Throwable> error) {
          error.ifPresentOrElse(sink::error, sink::complete);
        }
      });
    }, FluxSink.OverflowStrategy.BUFFER);
  }

  private ChatCompletionCreateParams request(SalesScript sc, Conversation c, String utterance,
                                             Optional<KnowledgeAnswer> answer) {
    ScriptState state = sc.state(c.state());
    Map<String, String> values = c.values(sc.variables());
    boolean ru = c.language() == Language.RU;
    StringBuilder system = new StringBuilder();
    system.append("You are ").append(values.getOrDefault("agentName", "the agent")).append(", a sales agent of ")
        .append(values.getOrDefault("ourCompany", "our company")).append(" on a phone call. ")
        .append(sc.description() == null ? "" : "Campaign: " + sc.description() + ". ")
        .append("Speak ").append(ru ? "Russian" : "English")
        .append(". Answer in one to three short spoken sentences, no lists, no markdown. ")
        .append("Follow the sales script: the current step is '").append(state.name()).append("'");
    if (state.ask() != null) {
        system.append(", whose question is: \"").append(Template.render(state.ask(), values)).append('"');
    }
    system.append(". Known about the customer: ").append(c.slots().isEmpty() ? "nothing yet" : c.slots()).append(". ")
        .append("Now is ").append(LocalDateTime.now(clock).withSecond(0).withNano(0)).append(" local time. ")
        .append("Use the tools to book a meeting, schedule a callback, record lead data, transfer to a human, ")
        .append("end the call or mark do-not-call; never promise what the tools cannot do.");
    answer.ifPresent(a -> system.append(" Product knowledge relevant to the customer's words: ").append(a.text()));
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
        .model(settings.model())
        .temperature(settings.temperature())
        .maxCompletionTokens(settings.maxTokens())
        .addSystemMessage(system.toString());
    for (String line : c.history()) {
      if (line.startsWith("customer: ")) {
        b.addUserMessage(line.substring("customer: ".length()));
      } else if (line.startsWith("agent: ")) {
        b.addAssistantMessage(line.substring("agent: ".length()));
      }
    }
    b.addUserMessage(utterance);
    LlmTools.all().forEach(b::addTool);
    return b.build();
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** One tool call being streamed: its name and argument fragments arrive over several chunks. */
  private static final class ToolCall {
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  /** Collects one streamed answer: sentences as they complete, tool calls until the end. */
  private final class Accumulator {
    private final Conversation before;
    private final String utterance;
    private final Turn scripted;
    private final String source;
    private final SentenceSplitter splitter = new SentenceSplitter();
    private final List<String> sentences = new ArrayList<>();
    private final Map<Long, ToolCall> tools = new TreeMap<>();
    final AtomicBoolean spoke = new AtomicBoolean();

    Accumulator(Conversation before, String utterance, Turn scripted, String source) {
      this.before = before;
      this.utterance = utterance;
      this.scripted = scripted;
      this.source = source;
    }

    List<ReplyEvent> onChunk(ChatCompletionChunk chunk) {
      List<ReplyEvent> out = new ArrayList<>();
      for (ChatCompletionChunk.Choice choice : chunk.choices()) {
        ChatCompletionChunk.Choice.Delta delta = choice.delta();
        delta.content().ifPresent(text -> splitter.add(text).forEach(s -> out.add(sentence(s))));
        delta.toolCalls().ifPresent(calls -> calls.forEach(call -> {
          ToolCall t = tools.computeIfAbsent(call.index(), i -> new ToolCall());
          call.function().ifPresent(f -> {
            f.name().ifPresent(n -> t.name = n);
            f.arguments().ifPresent(t.arguments::append);
          });
        }));
      }
      return out;
    }

    private ReplyEvent sentence(String text) {
      sentences.add(text);
      spoke.set(true);
      return new ReplyEvent.Sentence(text, null);
    }

    /**
     * The stream ended: the rest of the text, the lines of an ending a tool moved to (when the model did not speak
     * them), then the turn.
     */
    List<ReplyEvent> finish() {
      List<ReplyEvent> out = new ArrayList<>();
      splitter.finish().ifPresent(s -> out.add(sentence(s)));
      Turn turn = apply();
      if (turn.sentences().isEmpty()) {
        throw new IllegalStateException("the model answered with neither text nor a usable tool call");
      }
      for (int i = sentences.size(); i < turn.sentences().size(); i++) {
        out.add(new ReplyEvent.Sentence(turn.sentences().get(i), null));
      }
      out.add(new ReplyEvent.Done(turn));
      return out;
    }

    /** Spoken, then cut off: the turn ends where the speech stopped; no tool takes effect. */
    ReplyEvent interrupted() {
      Conversation next = base().after(utterance, String.join(" ", sentences));
      return new ReplyEvent.Done(new Turn(sentences, next, scripted.intent(), Action.SPEAK, source, false));
    }

    /** The script's view of the utterance (slots, non-final step), then what the tools did. */
    private Conversation base() {
      Conversation s = scripted.next();
      if (s.ended()) {
        return before.withSlots(s.slots());
      }
      return new Conversation(s.callId(), s.campaignId(), s.scriptId(), s.language(), s.state(), s.slots(),
          s.variables(), before.turnCount(), s.failedAttempts(), false, before.history());
    }

    private Turn apply() {
      Conversation c = base();
      String role = null;
      Map<String, String> slots = new LinkedHashMap<>(c.slots());
      for (ToolCall t : tools.values()) {
        JsonNode args;
        try {
          args = JSON.readTree(t.arguments.length() == 0 ? "{}" : t.arguments.toString());
        } catch (Exception e) {
          log.warn("Call {}: ignoring tool {} with malformed arguments", before.callId(), t.name);
          continue;
        }
        if (t.name == null) {
          continue;
        }
        switch (t.name) {
          case LlmTools.BOOK_MEETING, LlmTools.SCHEDULE_CALLBACK -> {
            Optional<LocalDateTime> at = dateTime(text(args, "datetime"), c.language());
            if (at.isEmpty()) {
              log.warn("Call {}: ignoring {} without a usable date and time", before.callId(), t.name);
              continue;
            }
            slots.put(ScriptEngine.DATETIME, at.get().toString());
            slots.put(ScriptEngine.DATETIME_TEXT, SpokenDates.say(at.get(), c.language()));
            putIfPresent(slots, "email", text(args, "email"));
            role = t.name.equals(LlmTools.BOOK_MEETING) ? "meeting" : "callback";
          }
          case LlmTools.UPDATE_LEAD -> {
            for (String f : List.of("name", "company", "email", "budget", "team_size")) {
              putIfPresent(slots, f, text(args, f));
            }
          }
          case LlmTools.TRANSFER_TO_HUMAN -> role = "transfer";
          case LlmTools.END_CALL -> role = role == null ? "close" : role;
          case LlmTools.MARK_DO_NOT_CALL -> role = "doNotCall";
          default -> log.warn("Call {}: the model called an unknown tool {}", before.callId(), t.name);
        }
      }
      if (role == null && Intent.STOP_CALLING.key().equals(scripted.intent())) {
        role = "doNotCall";   // the customer's wish is honoured even if the model forgot the tool
      }
      c = c.withSlots(slots);
      String said = String.join(" ", sentences);
      if (role != null) {
        Turn ending = script.enterRole(c, role, null, said);
        List<String> all = new ArrayList<>(sentences);
        all.addAll(ending.sentences());
        Conversation next = ending.next().talked(utterance, String.join(" ", all));
        return new Turn(all, next, scripted.intent(), ending.action(), source, false);
      }
      return new Turn(sentences, c.after(utterance, said), scripted.intent(), Action.SPEAK, source, false);
    }

    private Optional<LocalDateTime> dateTime(String value, Language language) {
      if (value == null || value.isBlank()) {
        return Optional.empty();
      }
      try {
        return Optional.of(LocalDateTime.parse(value.length() == 16 ? value + ":00" : value));
      } catch (DateTimeParseException e) {
        LocalDateTime now = LocalDateTime.now(clock);
        return dates.parse(value, language, now.toLocalDate()).resolve(now);
      }
    }
  }

  private static String text(JsonNode args, String field) {
    JsonNode v = args.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void putIfPresent(Map<String, String> slots, String key, String value) {
    if (value != null && !value.isBlank()) {
      slots.put(key, value.trim());
    }
  }
}
