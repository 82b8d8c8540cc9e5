package io.salesvoice.dialog.stage;

import io.salesvoice.dialog.engine.CallWrapUp;
import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.crm.ActivityKind;
import io.salesvoice.schema.crm.AddComment;
import io.salesvoice.schema.crm.CrmCallType;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.FinishCall;
import io.salesvoice.schema.crm.MarkDoNotCall;
import io.salesvoice.schema.crm.RegisterCall;
import io.salesvoice.schema.crm.ScheduleActivity;
import io.salesvoice.schema.crm.UpsertLead;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The CRM writes of a call, each with an idempotency key made of the call and the fact ({@code callId:register},
 * {@code callId:lead}, {@code callId:activity}, {@code callId:dnc}, {@code callId:summary}, {@code callId:finish}),
 * so a replayed input produces the same keys and the CRM sink applies each write once.
 */
final class CrmCommands {

  /** Custom lead fields in Bitrix24 for the slots that have no standard field. */
  static final Map<String, String> LEAD_FIELDS = Map.of("budget", "UF_CRM_BUDGET", "team_size", "UF_CRM_TEAM_SIZE");

  private final ZoneId zone;

  CrmCommands(ZoneId zone) {
    this.zone = zone;
  }

  static String key(String callId, String purpose) {
    return callId + ":" + purpose;
  }

  CrmCommand register(Conversation c, String phone, CallDirection direction, Instant startedAt) {
    return command(c, "register", RegisterCall.newBuilder()
        .setPhoneNumber(phone)
        .setDirection(direction == CallDirection.INBOUND ? CrmCallType.INBOUND : CrmCallType.OUTBOUND)
        .setStartedAt(startedAt)
        .setCreateLeadIfUnknown(true)
        .build());
  }

  /** Lead, follow-up, do-not-call and summary: the facts of a conversation that reached its end. */
  List<CrmCommand> wrapUp(Conversation c, String phone, CallWrapUp w) {
    List<CrmCommand> out = new ArrayList<>();
    w.lead().ifPresent(l -> {
      Map<String, String> fields = new HashMap<>();
      l.fields().forEach((k, v) -> fields.put(LEAD_FIELDS.getOrDefault(k, k), v));
      out.add(command(c, "lead", UpsertLead.newBuilder()
          .setPhoneNumber(phone)
          .setTitle(l.company() != null ? l.company() : null)
          .setName(l.name())
          .setCompany(l.company())
          .setEmail(l.email())
          .setFields(fields)
          .build()));
    });
    w.followUp().ifPresent(f -> {
      LocalDateTime at = f.at() != null ? f.at() : LocalDateTime.now(zone).plusHours(1);
      out.add(command(c, "activity", ScheduleActivity.newBuilder()
          .setPhoneNumber(phone)
          .setKind(ActivityKind.valueOf(f.kind().name()))
          .setSubject(f.subject())
          .setDescription(f.description())
          .setStartAt(at.atZone(zone).toInstant())
          .setEndAt(f.kind() == io.salesvoice.dialog.script.Outcome.FollowUp.MEETING
              ? at.plusMinutes(30).atZone(zone).toInstant() : null)
          .build()));
    });
    w.doNotCallReason().ifPresent(reason -> out.add(command(c, "dnc", MarkDoNotCall.newBuilder()
        .setPhoneNumber(phone)
        .setReason(reason)
        .build())));
    out.add(command(c, "summary", AddComment.newBuilder().setPhoneNumber(phone).setText(w.summary()).build()));
    return out;
  }

  CrmCommand finish(Conversation c, CallEnded ended, String outcomeStatus) {
    String status = switch (ended.getReason()) {
      case NO_ANSWER, VOICEMAIL -> "304";
      case BUSY -> "486";
      default -> outcomeStatus;
    };
    return command(c, "finish", FinishCall.newBuilder()
        .setDurationSeconds((int) Duration.ofMillis(ended.getDurationMs()).toSeconds())
        .setStatusCode(status)
        .setFailed(ended.getReason() == io.salesvoice.schema.call.CallEndReason.ERROR)
        .build());
  }

  private static CrmCommand command(Conversation c, String purpose, Object body) {
    String key = key(c.callId(), purpose);
    return CrmCommand.newBuilder()
        .setCommandId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
        .setIdempotencyKey(key)
        .setCallId(c.callId())
        .setCampaignId(c.campaignId())
        .setIssuedAt(Instant.now())
        .setCommand(body)
        .build();
  }
}
