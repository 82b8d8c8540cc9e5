package io.salesvoice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.serde.AvroDeserializer;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a fault did to the calls of one campaign, read from the topics, the simulated carrier and the simulated portal
 * once the campaign is over: records lost (a final transcript no turn answered although the caller stayed on the line,
 * a CRM command without a result, a connected call that never ended) and duplicates (a turn the caller heard twice, two
 * answers to one utterance, a CRM write applied twice, an entity twice in the portal, a lead attempt requested twice).
 */
final class CallAudit {

  /** How long a caller stays on the line after speaking before an unanswered utterance counts as lost. */
  static final Duration CALLER_PATIENCE = Duration.ofSeconds(30);

  /** One problem, with the call it concerns, for the report and the assertion messages. */
  record Finding(String kind, String callId, String detail) {
    @Override
    public String toString() {
      return kind + " " + callId + ": " + detail;
    }
  }

  final Set<String> callIds;
  final List<Finding> lost = new ArrayList<>();
  final List<Finding> duplicates = new ArrayList<>();
  /** Unanswered utterances of calls that ended before the agent could answer: the fault cut those calls short. */
  final Set<String> cutShort = new HashSet<>();
  /** Records the topics hold twice that were not heard or applied twice (at-least-once redeliveries absorbed). */
  int redeliveries;
  int transcripts;
  int turns;
  int crmCommands;

  private CallAudit(Set<String> callIds) {
    this.callIds = callIds;
  }

  /**
   * Audits the calls of {@code simulatedCalls} (the carrier's views of the campaign's calls).
   *
   * @param portal         the simulated portal crm-sink wrote to, or null to leave it out
   * @param portalIdBefore its {@code lastId()} before the campaign: entities with greater ids are the campaign's
   */
  static CallAudit of(KafkaSettings kafka, String campaignId, List<JsonNode> simulatedCalls,
                      SimulatedBitrix24 portal, int portalIdBefore) {
    Set<String> ids = simulatedCalls.stream().map(c -> c.path("callId").asText()).collect(Collectors.toSet());
    CallAudit audit = new CallAudit(ids);
    Map<String, List<Object>> byTopic = readAll(kafka, ids, List.of(Topics.CALLS, Topics.TRANSCRIPTS,
        Topics.DIALOG_TURNS, Topics.CRM_COMMANDS, Topics.CRM_RESULTS, Topics.CRM_APPLIED, Topics.DIALER_REQUESTS));
    audit.callsEnded(simulatedCalls, byTopic.get(Topics.CALLS));
    audit.transcriptsAnswered(of(byTopic.get(Topics.TRANSCRIPTS), Transcript.class),
        of(byTopic.get(Topics.DIALOG_TURNS), DialogTurn.class), of(byTopic.get(Topics.CALLS), CallEvent.class));
    audit.turnsHeardOnce(simulatedCalls);
    audit.crmWrittenOnce(of(byTopic.get(Topics.CRM_COMMANDS), CrmCommand.class),
        of(byTopic.get(Topics.CRM_RESULTS), CrmResult.class), of(byTopic.get(Topics.CRM_APPLIED), CrmResult.class));
    audit.portalWrittenOnce(portal, portalIdBefore, of(byTopic.get(Topics.CRM_APPLIED), CrmResult.class));
    List<CallRequest> requests = of(byTopic.get(Topics.DIALER_REQUESTS), CallRequest.class);
    requests.stream().collect(Collectors.groupingBy(r -> r.getLeadId() + "/" + r.getAttempt(), Collectors.counting()))
        .forEach((attempt, n) -> {
          if (n > 1) {
            audit.duplicates.add(new Finding("call requested twice", attempt, n + " requests for one lead attempt"));
          }
        });
    return audit;
  }

  /** Every call that connected ends with a CallEnded on sva.calls. */
  private void callsEnded(List<JsonNode> simulatedCalls, List<Object> calls) {
    Set<String> ended = of(calls, CallEvent.class).stream().filter(e -> e.getEvent() instanceof CallEnded)
        .map(e -> e.getCallId().toString()).collect(Collectors.toSet());
    for (JsonNode c : simulatedCalls) {
      String callId = c.path("callId").asText();
      if (!"ENDED".equals(c.path("state").asText())) {
        lost.add(new Finding("call never ended", callId, "the simulated callee is still " + c.path("state").asText()));
      } else if (!ended.contains(callId)) {
        lost.add(new Finding("no CallEnded", callId, "the callee's call ended (" + c.path("outcome").asText()
            + ") but sva.calls has no CallEnded"));
      }
    }
  }

  /**
   * Each final customer transcript is answered by a turn, unless the conversation had already ended before it or the
   * call ended within {@link #CALLER_PATIENCE} of it (the caller hung up on a silent agent: the call was cut short).
   */
  private void transcriptsAnswered(List<Transcript> all, List<DialogTurn> turnRecords, List<CallEvent> events) {
    Map<String, Transcript> finals = new LinkedHashMap<>();
    for (Transcript t : all) {
      if (t.getIsFinal() && t.getChannel() != Channel.AGENT && !t.getText().toString().isBlank()) {
        finals.putIfAbsent(t.getCallId() + "/" + t.getUtteranceId(), t);
      }
    }
    transcripts = finals.size();
    Map<String, Instant> endedAt = new HashMap<>();
    for (CallEvent e : events) {
      if (e.getEvent() instanceof CallEnded) {
        endedAt.merge(e.getCallId().toString(), e.getOccurredAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Set<String> answered = new HashSet<>();
    Map<String, Instant> hangUpTurn = new HashMap<>();
    Map<String, Set<String>> turnsPerUtterance = new TreeMap<>();
    Set<String> chunks = new HashSet<>();
    for (DialogTurn t : turnRecords) {
      String callId = t.getCallId().toString();
      if (!chunks.add(callId + "/" + t.getTurnId() + "/" + t.getChunkIndex())) {
        redeliveries++;
      }
      if (t.getInReplyTo() != null) {
        answered.add(callId + "/" + t.getInReplyTo());
        turnsPerUtterance.computeIfAbsent(callId + "/" + t.getInReplyTo(), k -> new HashSet<>())
            .add(t.getTurnId().toString());
      }
      if (t.getAction() != DialogAction.SPEAK && t.getLastChunk() && t.getProducedAt() != null) {
        hangUpTurn.merge(callId, t.getProducedAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    turns = (int) turnRecords.stream().map(t -> t.getCallId() + "/" + t.getTurnId()).distinct().count();
    turnsPerUtterance.forEach((utterance, ids) -> {
      if (ids.size() > 1) {
        duplicates.add(new Finding("two answers to one utterance", utterance, "turns " + ids));
      }
    });
    finals.forEach((key, t) -> {
      if (answered.contains(key)) {
        return;
      }
      String callId = t.getCallId().toString();
      Instant said = t.getProducedAt() != null ? t.getProducedAt() : Instant.EPOCH;
      Instant hungUp = hangUpTurn.get(callId);
      if (hungUp != null && hungUp.isBefore(said)) {
        return;   // the agent had said goodbye: nothing more to answer
      }
      Instant ended = endedAt.get(callId);
      if (ended != null && ended.isBefore(said.plus(CALLER_PATIENCE))) {
        cutShort.add(callId);
        return;
      }
      lost.add(new Finding("final transcript not answered", key, "\"" + t.getText() + "\" at " + said
          + ", call ended " + (ended == null ? "never" : ended)));
    });
  }

  /** The caller hears each turn once: the edge's mark closing a turn arrives once per turn id. */
  private void turnsHeardOnce(List<JsonNode> simulatedCalls) {
    for (JsonNode c : simulatedCalls) {
      Map<String, Integer> heard = new TreeMap<>();
      c.path("heardTurns").forEach(t -> heard.merge(t.asText(), 1, Integer::sum));
      heard.forEach((turn, n) -> {
        if (n > 1) {
          duplicates.add(new Finding("turn heard twice", c.path("callId").asText(), turn + " heard " + n + " times"));
        }
      });
    }
  }

  /**
   * Each comment and to-do the campaign created in the portal is the one its command's APPLIED ledger entry names: an
   * entity no entry names was written by an attempt whose outcome was lost, then written again. Leads are upserted by
   * phone: two leads with one phone, one of them new, is a lead written twice.
   */
  private void portalWrittenOnce(SimulatedBitrix24 portal, int idBefore, List<CrmResult> ledger) {
    if (portal == null) {
      return;
    }
    Set<String> named = ledger.stream().filter(r -> r.getStatus() == CrmStatus.APPLIED && r.getEntityId() != null)
        .map(r -> r.getEntityType() + "/" + r.getEntityId()).collect(Collectors.toSet());
    Map<String, Map<String, Map<String, Object>>> kinds = Map.of("COMMENT", portal.comments, "ACTIVITY",
        portal.activities);
    kinds.forEach((kind, store) -> store.forEach((id, entity) -> {
      if (Integer.parseInt(id) > idBefore && !named.contains(kind + "/" + id)) {
        duplicates.add(new Finding("portal " + kind.toLowerCase() + " no ledger entry names", kind + " " + id,
            String.valueOf(entity)));
      }
    }));
    Map<String, List<String>> leadsByPhone = new TreeMap<>();
    portal.leads.forEach((id, lead) -> {
      Object phones = lead.get("PHONE");
      if (phones instanceof List<?> l) {
        l.forEach(p -> {
          if (p instanceof Map<?, ?> m) {
            leadsByPhone.computeIfAbsent(String.valueOf(m.get("VALUE")).replaceAll("\\D", ""), k -> new ArrayList<>())
                .add(id);
          }
        });
      }
    });
    leadsByPhone.forEach((phone, ids) -> {
      if (ids.size() > 1 && ids.stream().anyMatch(id -> Integer.parseInt(id) > idBefore)) {
        duplicates.add(new Finding("portal lead twice", "…" + phone.substring(Math.max(0, phone.length() - 2)),
            "leads " + ids + " share one phone"));
      }
    });
  }

  /** Every CRM command has a result; no idempotency key is applied twice. */
  private void crmWrittenOnce(List<CrmCommand> commands, List<CrmResult> results, List<CrmResult> ledger) {
    Map<String, CrmCommand> byKey = new LinkedHashMap<>();
    commands.forEach(c -> {
      if (byKey.putIfAbsent(c.getIdempotencyKey().toString(), c) != null) {
        redeliveries++;
      }
    });
    crmCommands = byKey.size();
    Set<String> resulted = results.stream().map(r -> r.getIdempotencyKey().toString()).collect(Collectors.toSet());
    byKey.forEach((key, c) -> {
      if (!resulted.contains(key)) {
        lost.add(new Finding("CRM command without result", c.getCallId().toString(), key));
      }
    });
    ledger.stream().filter(r -> r.getStatus() == CrmStatus.APPLIED)
        .collect(Collectors.groupingBy(r -> r.getIdempotencyKey().toString(), Collectors.counting()))
        .forEach((key, n) -> {
          if (n > 1) {
            duplicates.add(new Finding("CRM write applied twice", key, n + " APPLIED in " + Topics.CRM_APPLIED));
          }
        });
    results.stream().filter(r -> r.getStatus() == CrmStatus.APPLIED)
        .collect(Collectors.groupingBy(r -> r.getIdempotencyKey().toString(), Collectors.counting()))
        .forEach((key, n) -> redeliveries += (int) (n - 1));
  }

  /** Reads each topic from its beginning to its current end, keeping the values whose key is one of the calls. */
  private static Map<String, List<Object>> readAll(KafkaSettings kafka, Set<String> callIds, List<String> topics) {
    Map<String, Object> config = new HashMap<>(kafka.consumerConfig("unused"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    Map<String, List<Object>> out = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
         AvroDeserializer avro = new AvroDeserializer()) {
      avro.configure(kafka.serdeConfig(), false);
      for (String topic : topics) {
        List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps);
        List<Object> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key() == null || !callIdOf(r.key(), callIds) || r.value() == null) {
              continue;
            }
            try {
              values.add(avro.deserialize(topic, r.value()));
            } catch (RuntimeException poison) {
              // not a record of these calls' pipeline: bad-input tests share the broker
            }
          }
        }
        out.put(topic, values);
      }
    }
    return out;
  }

  /** Keys are the call id, except the CRM ledger's (the idempotency key, which starts with the call id). */
  private static boolean callIdOf(String key, Set<String> callIds) {
    if (callIds.contains(key)) {
      return true;
    }
    int sep = key.lastIndexOf(':');
    return sep > 0 && callIds.contains(key.substring(0, sep));
  }

  private static <T> List<T> of(List<Object> values, Class<T> type) {
    return values.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
