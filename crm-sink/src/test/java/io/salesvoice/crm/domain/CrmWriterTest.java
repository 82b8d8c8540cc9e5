package io.salesvoice.crm.domain;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static io.salesvoice.crm.domain.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.crm.bitrix.Bitrix24Clients;
import io.salesvoice.crm.bitrix.WebClientBitrix24;
import io.salesvoice.schema.crm.CrmCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Every command's mapping to Bitrix24 methods, against the local portal over HTTP. */
class CrmWriterTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PHONE = "+79991234567";

  private SimulatedBitrix24 fake;
  private WebClientBitrix24 b24;
  private final Map<String, String> callIds = new ConcurrentHashMap<>();
  private final CrmWriter writer = new CrmWriter(new CrmWriter.Settings(7, "UF_CRM_DNC"),
      id -> Optional.ofNullable(callIds.get(id)));

  @BeforeEach
  void start() {
    fake = new SimulatedBitrix24();
    b24 = Bitrix24Clients.client(fake);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private CrmWriter.Applied apply(CrmCommand c, boolean uncertain) {
    return writer.apply(c, b24, uncertain).block(WAIT);
  }

  private Throwable failure(CrmCommand c) {
    return writer.apply(c, b24, false).then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(WAIT);
  }

  @Test
  void registerCallRegistersAnExternalCallThatCreatesTheLead() {
    CrmWriter.Applied applied = apply(command("call-1", "call-1:register", Commands.register(PHONE)), false);
    assertThat(applied.entityType()).isEqualTo("CALL");
    Map<String, Object> call = fake.calls.get(applied.entityId());
    assertThat(call).containsEntry("PHONE_NUMBER", PHONE).containsEntry("USER_ID", 7).containsEntry("TYPE", 1)
        .containsEntry("CRM_CREATE", 1).containsEntry("CALL_START_DATE", "2026-11-25T10:15:30Z");
    assertThat(fake.leadsWithPhone(PHONE)).hasSize(1);
  }

  @Test
  void registeringTheSameCallAgainGivesTheSameCallIdAndNoSecondLead() {
    CrmWriter.Applied first = apply(command("call-1", "call-1:register", Commands.register(PHONE)), false);
    CrmWriter.Applied again = apply(command("call-1", "call-1:register", Commands.register(PHONE)), true);
    assertThat(again.entityId()).isEqualTo(first.entityId());
    assertThat(fake.calls).hasSize(1);
    assertThat(fake.leadsWithPhone(PHONE)).hasSize(1);
  }

  @Test
  void finishAndAttachRecordUseTheBitrixCallIdOfTheRegisteredCall() {
    String callId = apply(command("call-2", "call-2:register", Commands.register(PHONE)), false).entityId();
    callIds.put("call-2", callId);
    apply(command("call-2", "call-2:finish", Commands.finish(95)), false);
    apply(command("call-2", "call-2:record", Commands.attach("https://records.example/call-2.mp3")), false);
    Map<String, Object> call = fake.calls.get(callId);
    assertThat(call).containsEntry("FINISHED", true).containsEntry("DURATION", 95).containsEntry("STATUS_CODE", "200")
        .containsEntry("RECORD_URL", "https://records.example/call-2.mp3").containsEntry("FILENAME", "call.mp3");
  }

  @Test
  void anUncertainFinishOfAFinishedCallIsNotSentAgain() {
    String callId = apply(command("call-3", "call-3:register", Commands.register(PHONE)), false).entityId();
    callIds.put("call-3", callId);
    apply(command("call-3", "call-3:finish", Commands.finish(10)), false);
    CrmWriter.Applied again = apply(command("call-3", "call-3:finish", Commands.finish(10)), true);
    assertThat(again.entityId()).isEqualTo(callId);
    assertThat(fake.count("telephony.externalcall.finish")).isEqualTo(1);
    assertThat(fake.count("voximplant.statistic.get")).isEqualTo(1);
  }

  @Test
  void finishingACallThatWasNeverRegisteredIsRejected() {
    assertThat(failure(command("call-x", "call-x:finish", Commands.finish(10))))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.code()).isEqualTo("CALL_NOT_REGISTERED"));
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void upsertLeadAddsTheLeadOnceThenUpdatesIt() {
    CrmWriter.Applied added = apply(command("call-4", "call-4:lead", Commands.lead(PHONE, "Ivan")), false);
    assertThat(added.entityType()).isEqualTo("LEAD");
    Map<String, Object> lead = fake.leads.get(added.entityId());
    assertThat(lead).containsEntry("NAME", "Ivan").containsEntry("COMPANY_TITLE", "Acme")
        .containsEntry("UF_CRM_BUDGET", "5000").containsEntry("ORIGINATOR_ID", CrmWriter.ORIGINATOR)
        .containsEntry("ORIGIN_ID", "call-4:lead").containsEntry("SOURCE_ID", "CALL");
    assertThat(lead.get("EMAIL")).asString().contains("buyer@example.com");

    CrmWriter.Applied again = apply(command("call-6", "call-6:lead", Commands.lead(PHONE, "Ivan Ivanov")), false);
    assertThat(again.entityId()).isEqualTo(added.entityId());
    assertThat(fake.leads.get(added.entityId())).containsEntry("NAME", "Ivan Ivanov");
    assertThat(fake.leadsWithPhone(PHONE)).as("found by phone, not added again").hasSize(1);
    assertThat(fake.count("crm.lead.update")).isEqualTo(1);
  }

  @Test
  void upsertContactAddsOrUpdatesTheContact() {
    CrmWriter.Applied added = apply(command("call-7", "call-7:contact", Commands.contact(PHONE, "Olga")), false);
    assertThat(added.entityType()).isEqualTo("CONTACT");
    assertThat(fake.contacts.get(added.entityId())).containsEntry("NAME", "Olga").containsEntry("LAST_NAME", "Petrov");
    apply(command("call-7", "call-7:contact2", Commands.contact(PHONE, "Olga V.")), false);
    assertThat(fake.contacts).hasSize(1);
    assertThat(fake.contacts.get(added.entityId())).containsEntry("NAME", "Olga V.");
  }

  @Test
  void theCallSummaryIsATimelineCommentOnTheContactBeforeTheLead() {
    String lead = apply(command("c", "k1", Commands.lead(PHONE, "Ivan")), false).entityId();
    CrmWriter.Applied onLead = apply(command("c", "k2", Commands.comment(PHONE, "Interested in the basic plan")), false);
    assertThat(fake.comments.get(onLead.entityId())).containsEntry("ENTITY_TYPE", "lead")
        .containsEntry("ENTITY_ID", lead).containsEntry("COMMENT", "Interested in the basic plan");
    String contact = apply(command("c", "k3", Commands.contact(PHONE, "Ivan")), false).entityId();
    CrmWriter.Applied onContact = apply(command("c", "k4", Commands.comment(PHONE, "Second call")), false);
    assertThat(fake.comments.get(onContact.entityId())).containsEntry("ENTITY_TYPE", "contact")
        .containsEntry("ENTITY_ID", contact);
  }

  @Test
  void anUncertainCommentThatWasWrittenIsFoundAndNotWrittenAgain() {
    apply(command("c", "k1", Commands.lead(PHONE, "Ivan")), false);
    CrmWriter.Applied first = apply(command("c", "k2", Commands.comment(PHONE, "Summary")), false);
    CrmWriter.Applied again = apply(command("c", "k2", Commands.comment(PHONE, "Summary")), true);
    assertThat(again.entityId()).isEqualTo(first.entityId());
    assertThat(fake.comments).hasSize(1);
    CrmWriter.Applied other = apply(command("c", "k3", Commands.comment(PHONE, "Another summary")), true);
    assertThat(other.entityId()).isNotEqualTo(first.entityId());
    assertThat(fake.comments).hasSize(2);
  }

  @Test
  void aCommentForAnUnknownNumberIsRejected() {
    assertThat(failure(command("c", "k", Commands.comment("+71112223344", "x"))))
        .isInstanceOfSatisfying(CommandRejected.class, e -> {
          assertThat(e.code()).isEqualTo("NOT_FOUND");
          assertThat(e.getMessage()).doesNotContain("71112223344");
        });
  }

  @Test
  void aCallbackIsATodoActivityWithDeadlineAndReminders() {
    String lead = apply(command("c", "k1", Commands.lead(PHONE, "Ivan")), false).entityId();
    CrmWriter.Applied activity = apply(command("c", "k2", Commands.callback(PHONE, "Call Ivan back")), false);
    assertThat(activity.entityType()).isEqualTo("ACTIVITY");
    Map<String, Object> a = fake.activities.get(activity.entityId());
    assertThat(a).containsEntry("ownerTypeId", 1).containsEntry("ownerId", lead)
        .containsEntry("deadline", "2026-11-25T11:15:30Z").containsEntry("title", "Call Ivan back")
        .containsEntry("responsibleId", 7).containsEntry("pingOffsets", List.of(15, 0));
    assertThat(a.get("description")).asString().startsWith("Call back").contains("after lunch");

    CrmWriter.Applied again = apply(command("c", "k2", Commands.callback(PHONE, "Call Ivan back")), true);
    assertThat(again.entityId()).isEqualTo(activity.entityId());
    assertThat(fake.activities).hasSize(1);
  }

  @Test
  void doNotCallMarksEveryLeadAndContactInOneBatch() {
    String lead = apply(command("c", "k1", Commands.lead(PHONE, "Ivan")), false).entityId();
    String contact = apply(command("c", "k2", Commands.contact(PHONE, "Ivan")), false).entityId();
    long before = fake.requests.size();
    CrmWriter.Applied marked = apply(command("c", "k3", Commands.doNotCall(PHONE)), false);
    assertThat(marked).isEqualTo(new CrmWriter.Applied("CONTACT", contact));
    assertThat(fake.leads.get(lead)).containsEntry("UF_CRM_DNC", "Y");
    assertThat(fake.contacts.get(contact)).containsEntry("UF_CRM_DNC", "Y");
    assertThat(fake.requests.subList((int) before, fake.requests.size()))
        .containsExactly("crm.duplicate.findbycomm", "batch");
  }

  @Test
  void doNotCallForAnUnknownNumberLeavesAMarkedLead() {
    CrmWriter.Applied marked = apply(command("c", "k", Commands.doNotCall(PHONE)), false);
    assertThat(fake.leads.get(marked.entityId())).containsEntry("UF_CRM_DNC", "Y")
        .containsEntry("COMMENTS", "asked not to be called");
    apply(command("c", "k", Commands.doNotCall(PHONE)), true);
    assertThat(fake.leadsWithPhone(PHONE)).hasSize(1);
  }

  @Test
  void anInvalidPhoneIsRejectedWithoutARequest() {
    assertThat(failure(command("c", "k", Commands.lead("call me maybe", "x"))))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.code()).isEqualTo("INVALID_PHONE"));
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void bitrixRefusalsBecomeRejectionsWithTheirCode() {
    fake.deny("crm.lead.add", 403, "ACCESS_DENIED", "Access denied!");
    assertThat(failure(command("c", "k", Commands.lead(PHONE, "x"))))
        .isInstanceOfSatisfying(CommandRejected.class, e -> {
          assertThat(e.code()).isEqualTo("ACCESS_DENIED");
          assertThat(e.getMessage()).contains("crm.lead.add").contains("Access denied!");
        });
    assertThat(fake.leads).isEmpty();
  }

  @Test
  void invalidFieldsAreRejectedWithTheHttpStatus() {
    CrmCommand bad = command("c", "k", io.salesvoice.schema.crm.UpsertLead.newBuilder(Commands.lead(PHONE, "x"))
        .setFields(Map.of("UF_CRM_UNKNOWN", "1")).build());
    assertThat(failure(bad)).isInstanceOfSatisfying(CommandRejected.class, e -> {
      assertThat(e.code()).isEqualTo("HTTP_400");
      assertThat(e.getMessage()).contains("UF_CRM_UNKNOWN");
    });
  }
}
