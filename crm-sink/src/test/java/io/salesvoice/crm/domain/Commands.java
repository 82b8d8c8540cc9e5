package io.salesvoice.crm.domain;

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
import java.util.Map;
import java.util.UUID;

/** CRM commands as the dialog worker writes them, for tests. */
public final class Commands {

  public static final Instant AT = Instant.parse("2026-11-25T10:15:30Z");

  private Commands() {
  }

  public static CrmCommand command(String callId, String key, Object body) {
    return CrmCommand.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setIdempotencyKey(key)
        .setCallId(callId)
        .setCampaignId("spring-sale")
        .setIssuedAt(AT)
        .setCommand(body)
        .build();
  }

  public static RegisterCall register(String phone) {
    return RegisterCall.newBuilder().setPhoneNumber(phone).setDirection(CrmCallType.OUTBOUND).setStartedAt(AT)
        .build();
  }

  public static FinishCall finish(int seconds) {
    return FinishCall.newBuilder().setDurationSeconds(seconds).setStatusCode("200").build();
  }

  public static AttachRecord attach(String url) {
    return AttachRecord.newBuilder().setFileName("call.mp3").setRecordUrl(url).build();
  }

  public static UpsertLead lead(String phone, String name) {
    return UpsertLead.newBuilder().setPhoneNumber(phone).setName(name).setCompany("Acme")
        .setEmail("buyer@example.com").setFields(Map.of("UF_CRM_BUDGET", "5000")).build();
  }

  public static UpsertContact contact(String phone, String name) {
    return UpsertContact.newBuilder().setPhoneNumber(phone).setName(name).setLastName("Petrov").build();
  }

  public static AddComment comment(String phone, String text) {
    return AddComment.newBuilder().setPhoneNumber(phone).setText(text).build();
  }

  public static ScheduleActivity callback(String phone, String subject) {
    return ScheduleActivity.newBuilder().setPhoneNumber(phone).setKind(ActivityKind.CALLBACK).setSubject(subject)
        .setDescription("asked to call after lunch").setStartAt(AT.plusSeconds(3600)).build();
  }

  public static MarkDoNotCall doNotCall(String phone) {
    return MarkDoNotCall.newBuilder().setPhoneNumber(phone).setReason("asked not to be called").build();
  }
}
