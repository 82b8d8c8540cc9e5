package io.salesvoice.dialer;

import io.salesvoice.dialer.domain.DialPlan;
import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.DialAttempt;
import io.salesvoice.schema.dialer.Lead;
import io.salesvoice.schema.dialer.LeadState;
import io.salesvoice.schema.dialer.LeadStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dialer's in-memory copy of its compacted topics (campaigns, leads, lead states, do-not-call list), filled by the
 * engine's reader and by the API after its writes are acknowledged. Each entry remembers the offset it came from, so
 * a record read late never overwrites a newer one.
 */
public final class DialerState {

  private record Entry<T>(T value, long offset) {
  }

  private final Map<String, Entry<Campaign>> campaigns = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Entry<Lead>>> leads = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Entry<LeadState>>> states = new ConcurrentHashMap<>();
  private final Map<String, Entry<Boolean>> doNotCall = new ConcurrentHashMap<>();
  /** callId → campaignId/leadId of every call in progress (lead status DIALING). */
  private final Map<String, String> inFlight = new ConcurrentHashMap<>();

  public void putCampaign(Campaign c, long offset) {
    campaigns.compute(c.getCampaignId(), (k, old) -> newer(old, c, offset));
  }

  public void putLead(Lead lead, long offset) {
    leads.computeIfAbsent(lead.getCampaignId(), k -> new ConcurrentHashMap<>())
        .compute(lead.getLeadId(), (k, old) -> newer(old, lead, offset));
  }

  public void putLeadState(LeadState s, long offset) {
    states.computeIfAbsent(s.getCampaignId(), k -> new ConcurrentHashMap<>())
        .compute(s.getLeadId(), (k, old) -> {
          Entry<LeadState> next = newer(old, s, offset);
          if (next != old) {
            if (old != null && old.value().getCallId() != null) {
              inFlight.remove(old.value().getCallId());
            }
            if (s.getStatus() == LeadStatus.DIALING && s.getCallId() != null) {
              inFlight.put(s.getCallId(), DialPlan.leadKey(s.getCampaignId(), s.getLeadId()));
            }
          }
          return next;
        });
  }

  public void putDoNotCall(String phone, boolean listed, long offset) {
    doNotCall.compute(phone, (k, old) -> newer(old, listed, offset));
  }

  private static <T> Entry<T> newer(Entry<T> old, T value, long offset) {
    return old == null || old.offset() <= offset ? new Entry<>(value, offset) : old;
  }

  public Optional<Campaign> campaign(String id) {
    Entry<Campaign> e = campaigns.get(id);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  public List<Campaign> campaigns() {
    return campaigns.values().stream().map(Entry::value).toList();
  }

  public Collection<Lead> leads(String campaignId) {
    return leads.getOrDefault(campaignId, Map.of()).values().stream().map(Entry::value).toList();
  }

  public Optional<Lead> lead(String campaignId, String leadId) {
    Entry<Lead> e = leads.getOrDefault(campaignId, Map.of()).get(leadId);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  public LeadState leadState(String campaignId, String leadId) {
    Entry<LeadState> e = states.getOrDefault(campaignId, Map.of()).get(leadId);
    return e == null ? null : e.value();
  }

  public boolean onDoNotCallList(String phone) {
    Entry<Boolean> e = doNotCall.get(phone);
    return e != null && e.value();
  }

  /** The calls in progress: callId → campaignId/leadId. */
  public Map<String, String> inFlight() {
    return inFlight;
  }

  /** Calls in progress of one campaign, from the index of calls in progress (not a scan of its leads). */
  public long inProgress(String campaignId) {
    String prefix = campaignId + "/";
    return inFlight.values().stream().filter(k -> k.startsWith(prefix)).count();
  }

  /** A campaign's figures: leads per state, calls in progress, attempts and outcomes. */
  public record Status(String campaignId, String status, boolean finished, int leads, Map<String, Integer> leadsByState,
                       long callsInProgress, long attempts, Map<String, Integer> outcomes) {
  }

  public Optional<Status> status(String campaignId) {
    return campaign(campaignId).map(c -> {
      Map<String, Integer> byState = new TreeMap<>();
      Map<String, Integer> outcomes = new TreeMap<>();
      long attempts = 0;
      long inProgress = 0;
      Collection<Lead> all = leads(campaignId);
      for (Lead lead : all) {
        LeadState s = leadState(campaignId, lead.getLeadId());
        String state = s == null ? "PENDING" : s.getStatus().name();
        byState.merge(state, 1, Integer::sum);
        if (s != null) {
          attempts += s.getAttempts();
          if (s.getStatus() == LeadStatus.DIALING) {
            inProgress++;
          }
          for (DialAttempt a : s.getHistory()) {
            outcomes.merge(a.getOutcome().name(), 1, Integer::sum);
          }
        }
      }
      boolean finished = !all.isEmpty() && byState.keySet().stream()
          .noneMatch(s -> s.equals("PENDING") || s.equals("DIALING") || s.equals("RETRY_WAIT"));
      return new Status(campaignId, c.getStatus().name(), finished, all.size(), byState, inProgress, attempts, outcomes);
    });
  }

  /** Leads of a campaign with their states, for the dial loop. */
  public List<Map.Entry<Lead, LeadState>> leadsWithState(String campaignId) {
    List<Map.Entry<Lead, LeadState>> out = new ArrayList<>();
    for (Lead lead : leads(campaignId)) {
      out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(lead, leadState(campaignId, lead.getLeadId())));
    }
    return out;
  }
}
