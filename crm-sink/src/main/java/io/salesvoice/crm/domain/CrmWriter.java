package io.salesvoice.crm.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesvoice.crm.bitrix.Bitrix24;
import io.salesvoice.crm.bitrix.Bitrix24Rejected;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.schema.crm.ActivityKind;
import io.salesvoice.schema.crm.AddComment;
import io.salesvoice.schema.crm.AttachRecord;
import io.salesvoice.schema.crm.CrmCallType;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.FinishCall;
import io.salesvoice.schema.crm.MarkDoNotCall;
import io.salesvoice.schema.crm.RegisterCall;
import io.salesvoice.schema.crm.ScheduleActivity;
import io.salesvoice.schema.crm.UpsertContact;
import io.salesvoice.schema.crm.UpsertLead;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Maps each CRM command to the Bitrix24 REST calls a sales call needs, so that applying a command twice writes the CRM
 * once: upserts look the phone up first ({@code crm.duplicate.findbycomm}), re-registering a call returns the same
 * CALL_ID, and when an earlier attempt may have written already ({@code uncertain}) the writes that are not
 * idempotent by themselves (timeline comment, activity, call finish) are looked up in Bitrix24 before they are made.
 * No Kafka, no Spring: only the {@link Bitrix24} port.
 */
public final class CrmWriter {

  /** Marks entities the sink created, with the command's idempotency key as ORIGIN_ID, so a human can trace them. */
  public static final String ORIGINATOR = "sales-voice-assistant";
  static final int OWNER_LEAD = 1;
  static final int OWNER_CONTACT = 3;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /**
   * @param userId         the Bitrix24 user calls, activities and leads are attributed to
   * @param doNotCallField the CRM field (on leads and contacts) that marks a do-not-call number, set to {@code Y}
   */
  public record Settings(long userId, String doNotCallField) {
  }

  /** What a command wrote: LEAD, CONTACT, CALL, COMMENT or ACTIVITY and its Bitrix24 id. */
  public record Applied(String entityType, String entityId) {
  }

  /** Where the Bitrix24 CALL_ID of one of our calls is remembered (it lives in the applied ledger). */
  @FunctionalInterface
  public interface CallIds {
    Optional<String> bitrixCallId(String callId);
  }

  private record Owner(String type, int typeId, String id) {
  }

  private final Settings settings;
  private final CallIds callIds;

  public CrmWriter(Settings settings, CallIds callIds) {
    this.settings = settings;
    this.callIds = callIds;
  }

  /** The Bitrix24 calls of one command; {@code uncertain} when an earlier attempt may have written it already. */
  public Mono<Applied> apply(CrmCommand command, Bitrix24 b24, boolean uncertain) {
    return Mono.defer(() -> {
      Object c = command.getCommand();
      Mono<Applied> applied;
      if (c instanceof RegisterCall r) {
        applied = register(command, r, b24);
      } else if (c instanceof FinishCall f) {
        applied = finish(command, f, b24, uncertain);
      } else if (c instanceof AttachRecord a) {
        applied = attach(command, a, b24);
      } else if (c instanceof UpsertLead l) {
        applied = upsertLead(command, l, b24);
      } else if (c instanceof UpsertContact u) {
        applied = upsertContact(command, u, b24);
      } else if (c instanceof AddComment a) {
        applied = comment(a, b24, uncertain);
      } else if (c instanceof ScheduleActivity s) {
        applied = schedule(s, b24, uncertain);
      } else if (c instanceof MarkDoNotCall m) {
        applied = doNotCall(command, m, b24);
      } else {
        throw new CommandRejected("UNKNOWN_COMMAND", "no mapping for a " + c.getClass().getSimpleName());
      }
      return applied;
    }).onErrorMap(Bitrix24Rejected.class, e -> new CommandRejected(
        e.code() == null || e.code().isEmpty() ? "HTTP_" + e.httpStatus() : e.code(), e.getMessage(), e));
  }

  // --- telephony -------------------------------------------------------------------------------------------------

  private Mono<Applied> register(CrmCommand command, RegisterCall r, Bitrix24 b24) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("USER_ID", settings.userId());
    p.put("PHONE_NUMBER", phone(r.getPhoneNumber()));
    p.put("TYPE", r.getDirection() == CrmCallType.OUTBOUND ? 1 : 2);
    p.put("CALL_START_DATE", iso(r.getStartedAt()));
    p.put("CRM_CREATE", r.getCreateLeadIfUnknown() ? 1 : 0);
    p.put("SHOW", 0);
    if (r.getLineNumber() != null) {
      p.put("LINE_NUMBER", r.getLineNumber());
    }
    // Bitrix24 answers the same CALL_ID to a repeated register of an unfinished call: a redelivery adds no call.
    return b24.call("telephony.externalcall.register", p)
        .map(result -> new Applied("CALL", required(result, "CALL_ID", "telephony.externalcall.register")));
  }

  private Mono<Applied> finish(CrmCommand command, FinishCall f, Bitrix24 b24, boolean uncertain) {
    String callId = bitrixCallId(command);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("CALL_ID", callId);
    p.put("USER_ID", settings.userId());
    p.put("DURATION", f.getDurationSeconds());
    p.put("STATUS_CODE", f.getStatusCode());
    p.put("ADD_TO_CHAT", 0);
    Mono<Applied> write = b24.call("telephony.externalcall.finish", p).thenReturn(new Applied("CALL", callId));
    if (!uncertain) {
      return write;
    }
    // A finished call is in the call statistics; finishing it again would fail or double the activity.
    return b24.call("voximplant.statistic.get", Map.of("FILTER", Map.of("CALL_ID", callId)))
        .flatMap(found -> found.isArray() && !found.isEmpty() ? Mono.just(new Applied("CALL", callId)) : write);
  }

  private Mono<Applied> attach(CrmCommand command, AttachRecord a, Bitrix24 b24) {
    String callId = bitrixCallId(command);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("CALL_ID", callId);
    p.put("FILENAME", a.getFileName());
    p.put("RECORD_URL", a.getRecordUrl());
    // Attaching again replaces the record: idempotent by Bitrix24's definition.
    return b24.call("telephony.externalcall.attachRecord", p).thenReturn(new Applied("CALL", callId));
  }

  private String bitrixCallId(CrmCommand command) {
    return callIds.bitrixCallId(command.getCallId()).orElseThrow(() -> new CommandRejected("CALL_NOT_REGISTERED",
        "call " + command.getCallId() + " was never registered in Bitrix24 (no applied RegisterCall before it)"));
  }

  // --- leads and contacts ----------------------------------------------------------------------------------------

  private Mono<Applied> upsertLead(CrmCommand command, UpsertLead l, Bitrix24 b24) {
    Map<String, Object> fields = new LinkedHashMap<>();
    putIfPresent(fields, "TITLE", l.getTitle());
    putIfPresent(fields, "NAME", l.getName());
    putIfPresent(fields, "COMPANY_TITLE", l.getCompany());
    fields.putAll(l.getFields());
    return upsert("LEAD", "crm.lead", command, l.getPhoneNumber(), l.getEmail(), fields, b24, () -> {
      Map<String, Object> add = new LinkedHashMap<>();
      add.put("TITLE", l.getTitle() != null ? l.getTitle() : defaultTitle(l.getName(), l.getCompany()));
      add.put("SOURCE_ID", "CALL");
      return add;
    });
  }

  private Mono<Applied> upsertContact(CrmCommand command, UpsertContact u, Bitrix24 b24) {
    Map<String, Object> fields = new LinkedHashMap<>();
    putIfPresent(fields, "NAME", u.getName());
    putIfPresent(fields, "LAST_NAME", u.getLastName());
    fields.putAll(u.getFields());
    return upsert("CONTACT", "crm.contact", command, u.getPhoneNumber(), u.getEmail(), fields, b24, () -> {
      Map<String, Object> add = new LinkedHashMap<>();
      add.put("SOURCE_ID", "CALL");
      return add;
    });
  }

  /**
   * Finds the entity by phone, then updates it or adds it. Updates leave the phone and e-mail multi-fields alone:
   * Bitrix24 appends a multi-field value on every update, so a redelivered update would add the number again.
   */
  private Mono<Applied> upsert(String type, String api, CrmCommand command, String phoneNumber, String email,
                               Map<String, Object> fields, Bitrix24 b24,
                               java.util.function.Supplier<Map<String, Object>> addDefaults) {
    String phone = phone(phoneNumber);
    return find(b24, phone, type).flatMap(ids -> {
      if (!ids.isEmpty()) {
        String id = ids.get(0);
        if (fields.isEmpty()) {
          return Mono.just(new Applied(type, id));
        }
        return b24.call(api + ".update", Map.of("id", id, "fields", fields)).thenReturn(new Applied(type, id));
      }
      Map<String, Object> add = addDefaults.get();
      add.putAll(fields);
      add.put("PHONE", List.of(Map.of("VALUE", phone, "VALUE_TYPE", "WORK")));
      if (email != null && !email.isBlank()) {
        add.put("EMAIL", List.of(Map.of("VALUE", email, "VALUE_TYPE", "WORK")));
      }
      add.put("ORIGINATOR_ID", ORIGINATOR);
      add.put("ORIGIN_ID", command.getIdempotencyKey());
      return b24.call(api + ".add", Map.of("fields", add, "params", Map.of("REGISTER_SONET_EVENT", "Y")))
          .map(id -> new Applied(type, id.asText()));
    });
  }

  // --- timeline --------------------------------------------------------------------------------------------------

  private Mono<Applied> comment(AddComment a, Bitrix24 b24, boolean uncertain) {
    return owner(b24, phone(a.getPhoneNumber())).flatMap(owner -> {
      String entityType = owner.type().toLowerCase(java.util.Locale.ROOT);
      Mono<Applied> write = b24.call("crm.timeline.comment.add", Map.of("fields",
              Map.of("ENTITY_ID", owner.id(), "ENTITY_TYPE", entityType, "COMMENT", a.getText())))
          .map(id -> new Applied("COMMENT", id.asText()));
      if (!uncertain) {
        return write;
      }
      return b24.call("crm.timeline.comment.list", Map.of(
              "filter", Map.of("ENTITY_ID", owner.id(), "ENTITY_TYPE", entityType),
              "select", List.of("ID", "COMMENT")))
          .flatMap(list -> firstMatching(list, n -> a.getText().equals(n.path("COMMENT").asText()))
              .map(id -> Mono.just(new Applied("COMMENT", id))).orElse(write));
    });
  }

  private Mono<Applied> schedule(ScheduleActivity s, Bitrix24 b24, boolean uncertain) {
    return owner(b24, phone(s.getPhoneNumber())).flatMap(owner -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("ownerTypeId", owner.typeId());
      p.put("ownerId", owner.id());
      p.put("deadline", iso(s.getStartAt()));
      p.put("title", s.getSubject());
      p.put("description", kindLabel(s.getKind()) + (s.getDescription() == null ? "" : ": " + s.getDescription()));
      p.put("responsibleId", settings.userId());
      p.put("pingOffsets", List.of(15, 0));
      Mono<Applied> write = b24.call("crm.activity.todo.add", p)
          .map(result -> new Applied("ACTIVITY", result.has("id") ? result.path("id").asText() : result.asText()));
      if (!uncertain) {
        return write;
      }
      return b24.call("crm.activity.list", Map.of(
              "filter", Map.of("OWNER_TYPE_ID", owner.typeId(), "OWNER_ID", owner.id(), "SUBJECT", s.getSubject()),
              "select", List.of("ID", "SUBJECT")))
          .flatMap(list -> firstMatching(list, n -> s.getSubject().equals(n.path("SUBJECT").asText()))
              .map(id -> Mono.just(new Applied("ACTIVITY", id))).orElse(write));
    });
  }

  private static String kindLabel(ActivityKind kind) {
    return switch (kind) {
      case MEETING -> "Meeting booked on the call";
      case CALLBACK -> "Call back";
      case TASK -> "Follow-up task";
    };
  }

  // --- do not call -----------------------------------------------------------------------------------------------

  /**
   * Sets the do-not-call field on every lead and contact with the number, in one batch request; a number the CRM
   * does not know gets a lead that carries the mark, so campaigns that import leads still honour it.
   */
  private Mono<Applied> doNotCall(CrmCommand command, MarkDoNotCall m, Bitrix24 b24) {
    String phone = phone(m.getPhoneNumber());
    String field = settings.doNotCallField();
    return b24.call("crm.duplicate.findbycomm", Map.of("type", "PHONE", "values", List.of(phone))).flatMap(found -> {
      List<String> leads = ids(found, "LEAD");
      List<String> contacts = ids(found, "CONTACT");
      if (leads.isEmpty() && contacts.isEmpty()) {
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("TITLE", "Do not call");
        add.put("PHONE", List.of(Map.of("VALUE", phone, "VALUE_TYPE", "WORK")));
        add.put(field, "Y");
        add.put("COMMENTS", m.getReason());
        add.put("SOURCE_ID", "CALL");
        add.put("ORIGINATOR_ID", ORIGINATOR);
        add.put("ORIGIN_ID", command.getIdempotencyKey());
        return b24.call("crm.lead.add", Map.of("fields", add)).map(id -> new Applied("LEAD", id.asText()));
      }
      LinkedHashMap<String, Bitrix24.Call> updates = new LinkedHashMap<>();
      for (String id : leads) {
        updates.put("lead_" + id, new Bitrix24.Call("crm.lead.update", Map.of("id", id, "fields", Map.of(field, "Y"))));
      }
      for (String id : contacts) {
        updates.put("contact_" + id,
            new Bitrix24.Call("crm.contact.update", Map.of("id", id, "fields", Map.of(field, "Y"))));
      }
      Applied first = contacts.isEmpty() ? new Applied("LEAD", leads.get(0)) : new Applied("CONTACT", contacts.get(0));
      return b24.batch(updates).thenReturn(first);
    });
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private static Mono<List<String>> find(Bitrix24 b24, String phone, String type) {
    return b24.call("crm.duplicate.findbycomm", Map.of("entity_type", type, "type", "PHONE", "values", List.of(phone)))
        .map(found -> ids(found, type));
  }

  /** The contact with the number, else the lead: the timeline the call belongs on. */
  private static Mono<Owner> owner(Bitrix24 b24, String phone) {
    return b24.call("crm.duplicate.findbycomm", Map.of("type", "PHONE", "values", List.of(phone))).map(found -> {
      List<String> contacts = ids(found, "CONTACT");
      if (!contacts.isEmpty()) {
        return new Owner("CONTACT", OWNER_CONTACT, contacts.get(0));
      }
      List<String> leads = ids(found, "LEAD");
      if (!leads.isEmpty()) {
        return new Owner("LEAD", OWNER_LEAD, leads.get(0));
      }
      throw new CommandRejected("NOT_FOUND", "no lead or contact has the number " + Redaction.maskPhone(phone));
    });
  }

  /** Bitrix24 answers {@code []} when nothing matched and {@code {"LEAD":[1,2]}} otherwise. */
  private static List<String> ids(JsonNode found, String type) {
    List<String> ids = new ArrayList<>();
    found.path(type).forEach(n -> ids.add(n.asText()));
    return ids;
  }

  private static Optional<String> firstMatching(JsonNode list, java.util.function.Predicate<JsonNode> test) {
    for (JsonNode n : list) {
      if (test.test(n)) {
        return Optional.of(n.path("ID").asText());
      }
    }
    return Optional.empty();
  }

  private static String required(JsonNode result, String field, String method) {
    JsonNode v = result.path(field);
    if (v.isMissingNode() || v.isNull() || v.asText().isEmpty()) {
      throw new CommandRejected("BAD_RESPONSE", method + " answered without " + field);
    }
    return v.asText();
  }

  /** Digits with an optional leading +; anything else can never become a CRM phone. */
  static String phone(String raw) {
    if (raw == null) {
      throw new CommandRejected("INVALID_PHONE", "the command has no phone number");
    }
    String trimmed = raw.strip();
    String digits = trimmed.replaceAll("[\\s()\\-]", "");
    if (!digits.matches("\\+?\\d{5,15}")) {
      throw new CommandRejected("INVALID_PHONE", "not a phone number: " + Redaction.maskPhonesIn(trimmed));
    }
    return digits;
  }

  private static String iso(Instant instant) {
    return ISO.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }

  private static String defaultTitle(String name, String company) {
    if (company != null) {
      return "Call: " + company;
    }
    return name != null ? "Call: " + name : "Call lead";
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
