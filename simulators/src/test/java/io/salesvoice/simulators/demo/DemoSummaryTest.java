package io.salesvoice.simulators.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void percentilesAreNearestRank() {
    List<Long> v = List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L);
    assertThat(DemoSummary.percentile(v, 50)).isEqualTo(500);
    assertThat(DemoSummary.percentile(v, 95)).isEqualTo(1000);
    assertThat(DemoSummary.percentile(List.of(), 50)).isEqualTo(-1);
  }

  @Test
  void theSummarySaysWhatHappenedAndWhereTheFiguresComeFrom() throws Exception {
    JsonNode status = JSON.readTree("""
        {"finished":true,"attempts":12,"leadsByState":{"CONNECTED":8,"EXHAUSTED":2,"DO_NOT_CALL":1},
         "outcomes":{"CONNECTED":8,"NO_ANSWER":2,"BUSY":2}}""");
    List<JsonNode> calls = List.of(
        JSON.readTree("{\"persona\":\"interested\",\"outcome\":\"completed\",\"turns\":[{\"voiceToVoiceMs\":640},{\"voiceToVoiceMs\":710}]}"),
        JSON.readTree("{\"persona\":\"no-answer\",\"outcome\":\"no-answer\",\"turns\":[]}"));
    JsonNode crm = JSON.readTree("{\"leads\":8,\"calls\":10,\"activities\":3,\"comments\":8,\"requests\":40,\"limitAnswers\":0}");
    JsonNode analytics = JSON.readTree("""
        {"total":{"outcomes":{"MEETING_BOOKED":3,"NOT_INTERESTED":2},
         "latency":[{"stage":"speechEndToFirstAudio","engine":"stt+dialog","count":20,"p50Ms":420,"p90Ms":700,"p99Ms":900},
                    {"stage":"speechEndToTranscript","engine":"sphinx4","count":20,"p50Ms":150,"p90Ms":300,"p99Ms":400}]}}""");
    DemoCampaign.Result r = new DemoCampaign.Result("demo-1", true, Duration.ofSeconds(185), status, calls, crm,
        analytics, DemoCampaign.leads(10, 0), DemoCampaign.leads(1, 10));
    String text = DemoSummary.format(r);
    assertThat(text).contains("demo-1: 10 leads (+1 on the do-not-call list), finished in 3 min 05 s")
        .contains("simulated")
        .contains("12 (retries included)")
        .contains("DO_NOT_CALL 1")
        .contains("MEETING_BOOKED 3")
        .contains("interested").contains("{completed=1}")
        .contains("8 leads, 10 calls, 3 activities, 8 comments")
        .contains("p50 640 ms, p95 710 ms over 2 answers")
        .contains("speechEndToFirstAudio 420/700/900")
        .doesNotContain("speechEndToTranscript 150");
  }

  @Test
  void theDemoLeadsCycleThroughThePersonasWithFictionalNumbers() {
    List<DemoCampaign.Lead> leads = DemoCampaign.leads(12, 0);
    assertThat(leads).extracting(DemoCampaign.Lead::persona).containsAll(DemoCampaign.PERSONAS);
    assertThat(leads).allSatisfy(l -> assertThat(l.phone()).startsWith("+1415555"));
    assertThat(leads).extracting(DemoCampaign.Lead::phone).doesNotHaveDuplicates();
  }
}
