package io.salesvoice.dialog.llm;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The functions the LLM may call; each maps to an outcome role of the sales script or to the lead's slots. */
final class LlmTools {

  static final String BOOK_MEETING = "book_meeting";
  static final String SCHEDULE_CALLBACK = "schedule_callback";
  static final String UPDATE_LEAD = "update_lead";
  static final String TRANSFER_TO_HUMAN = "transfer_to_human";
  static final String END_CALL = "end_call";
  static final String MARK_DO_NOT_CALL = "mark_do_not_call";

  private LlmTools() {
  }

  static List<ChatCompletionFunctionTool> all() {
    return List.of(
        tool(BOOK_MEETING, "Book the demo meeting the customer agreed to. Call only once the customer named a day and time.",
            Map.of("datetime", string("Local date and time, ISO 8601 without zone, e.g. 2026-11-26T15:00"),
                "email", string("Where to send the invitation, if the customer gave one")), List.of("datetime")),
        tool(SCHEDULE_CALLBACK, "Schedule a call back at the time the customer asked for.",
            Map.of("datetime", string("Local date and time, ISO 8601 without zone")), List.of("datetime")),
        tool(UPDATE_LEAD, "Record what the customer told about themselves and their company.",
            Map.of("name", string("The customer's name"), "company", string("Company name"),
                "email", string("Email address"), "budget", string("Budget, digits only"),
                "team_size", string("People in the sales team, digits only")), List.of()),
        tool(TRANSFER_TO_HUMAN, "Transfer the call to a human sales manager.",
            Map.of("reason", string("Why")), List.of()),
        tool(END_CALL, "End the call politely when the customer is not interested or the conversation is over.",
            Map.of("reason", string("Why")), List.of()),
        tool(MARK_DO_NOT_CALL, "The customer asked never to be called again. Always honour it.",
            Map.of("reason", string("The customer's words")), List.of()));
  }

  private static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  private static ChatCompletionFunctionTool tool(String name, String description, Map<String, Object> properties,
                                                 List<String> required) {
    Map<String, Object> props = new LinkedHashMap<>(properties);
    return ChatCompletionFunctionTool.builder()
        .function(FunctionDefinition.builder()
            .name(name)
            .description(description)
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(props))
                .putAdditionalProperty("required", JsonValue.from(required))
                .build())
            .build())
        .build();
  }
}
