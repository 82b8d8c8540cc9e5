package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CrmEntry;
import io.salesvoice.analytics.state.SystemEntry;
import io.salesvoice.analytics.state.Turn;
import io.salesvoice.analytics.state.Utterance;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.call.Dtmf;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Folds one call's records, from four topics and in any order, into its {@link CallState}. Every method is
 * idempotent (a redelivered record changes nothing) and order-insensitive (a late record lands where it belongs),
 * and answers whether the state changed.
 */
public final class CallStates {

  public static final String REPLAY = "REPLAY";
  /** End reason of a call that was closed because nothing happened on it for the inactivity timeout. */
  public static final String INACTIVITY = "INACTIVITY";

  private CallStates() {
  }

  public static CallState empty(String callId) {
    return CallState.newBuilder().setCallId(callId)
        .setEventIds(new ArrayList<>()).setSystem(new ArrayList<>()).setSlots(new HashMap<>())
        .setStatesVisited(new ArrayList<>()).setIntents(new ArrayList<>()).setUtterances(new ArrayList<>())
        .setTurns(new ArrayList<>()).setCrm(new ArrayList<>()).setLatencySent(new ArrayList<>())
        .build();
  }

  public static boolean isReplay(CallState s) {
    return REPLAY.equals(s.getDirection());
  }

  public static boolean isEnded(CallState s) {
    return s.getEndedAt() != null;
  }

  /** Applies a record of any of the call's topics; other types are not the call's and change nothing. */
  public static boolean apply(CallState s, Object record) {
    if (record instanceof CallEvent e) {
      return apply(s, e);
    } else if (record instanceof Transcript t) {
      return apply(s, t);
    } else if (record instanceof DialogTurn t) {
      return apply(s, t);
    } else if (record instanceof CrmResult r) {
      return apply(s, r);
    } else if (record instanceof AudioChunk a) {
      return apply(s, a);
    }
    return false;
  }

  public static boolean apply(CallState s, CallEvent e) {
    if (s.getEventIds().contains(e.getEventId())) {
      return false;
    }
    s.getEventIds().add(e.getEventId());
    long at = e.getOccurredAt().toEpochMilli();
    seen(s, at);
    if (s.getCampaignId() == null && e.getCampaignId() != null) {
      s.setCampaignId(e.getCampaignId());
    }
    Object event = e.getEvent();
    if (event instanceof CallStarted started) {
      s.setStartedAt(at);
      s.setDirection(started.getDirection().name());
      system(s, at, "call started (" + started.getDirection() + ", " + started.getLanguage() + ")");
    } else if (event instanceof CallAnswered answered) {
      s.setAnsweredAt(at);
      s.setAnsweredBy(answered.getAnsweredBy().name());
      system(s, at, "answered by " + answered.getAnsweredBy());
    } else if (event instanceof CallEnded ended) {
      s.setEndedAt(at);
      s.setEndReason(ended.getReason().name());
      s.setDurationMs(ended.getDurationMs());
      s.setClosedByInactivity(false);
      system(s, at, "call ended: " + ended.getReason() + (ended.getDetail() == null ? "" : " (" + ended.getDetail() + ")"));
    } else if (event instanceof BargeIn bargeIn) {
      s.setBargeIns(s.getBargeIns() + 1);
      system(s, at, "barge-in after " + bargeIn.getPlayedMs() + " ms of the agent's turn");
    } else if (event instanceof Dtmf dtmf) {
      system(s, at, "DTMF " + dtmf.getDigits());
    }
    return true;
  }

  /** Final customer (or, on replay, agent) utterances; partial hypotheses carry nothing the views need. */
  public static boolean apply(CallState s, Transcript t) {
    if (!t.getIsFinal()) {
      return false;
    }
    for (Utterance u : s.getUtterances()) {
      if (u.getUtteranceId().equals(t.getUtteranceId())) {
        return false;
      }
    }
    long producedAt = t.getProducedAt().toEpochMilli();
    seen(s, producedAt);
    s.getUtterances().add(Utterance.newBuilder()
        .setUtteranceId(t.getUtteranceId())
        .setChannel(t.getChannel().name())
        .setText(t.getText())
        .setStartMs(t.getStartMs())
        .setEndMs(t.getEndMs())
        .setSpeechEndedAt(t.getSpeechEndedAt() == null ? null : t.getSpeechEndedAt().toEpochMilli())
        .setProducedAt(producedAt)
        .setEngine(t.getEngine())
        .build());
    return true;
  }

  public static boolean apply(CallState s, DialogTurn chunk) {
    Turn turn = turn(s, chunk.getTurnId());
    String index = Integer.toString(chunk.getChunkIndex());
    if (turn.getChunks().containsKey(index)) {
      return false;
    }
    turn.getChunks().put(index, chunk.getText());
    long producedAt = chunk.getProducedAt().toEpochMilli();
    seen(s, producedAt);
    if (turn.getFirstChunkAt() == null || producedAt < turn.getFirstChunkAt()) {
      turn.setFirstChunkAt(producedAt);
    }
    if (chunk.getState() != null) {
      turn.setState(chunk.getState());
      if (!s.getStatesVisited().contains(chunk.getState())) {
        s.getStatesVisited().add(chunk.getState());
      }
    }
    turn.setAction(chunk.getAction().name());
    turn.setEngine(chunk.getEngine());
    if (chunk.getIntent() != null) {
      turn.setIntent(chunk.getIntent());
      if (!s.getIntents().contains(chunk.getIntent())) {
        s.getIntents().add(chunk.getIntent());
      }
    }
    if (chunk.getInReplyTo() != null) {
      turn.setInReplyTo(chunk.getInReplyTo());
    }
    s.getSlots().putAll(chunk.getSlots());
    // A late chunk of an earlier turn must not overwrite where the conversation ended up.
    if (producedAt >= s.getLastStateAt()) {
      s.setLastStateAt(producedAt);
      if (chunk.getState() != null) {
        s.setLastState(chunk.getState());
      }
      s.setLastAction(chunk.getAction().name());
    }
    if (chunk.getAction() == io.salesvoice.schema.dialog.DialogAction.TRANSFER) {
      s.setTransferRequested(true);
    }
    return true;
  }

  public static boolean apply(CallState s, CrmResult r) {
    for (CrmEntry c : s.getCrm()) {
      if (c.getCommandId().equals(r.getCommandId())) {
        return false;
      }
    }
    long at = r.getCompletedAt().toEpochMilli();
    seen(s, at);
    if (s.getCampaignId() == null && r.getCampaignId() != null) {
      s.setCampaignId(r.getCampaignId());
    }
    s.getCrm().add(CrmEntry.newBuilder().setCommandId(r.getCommandId()).setCommandType(r.getCommandType())
        .setIdempotencyKey(r.getIdempotencyKey()).setStatus(r.getStatus().name()).setAt(at).build());
    return true;
  }

  /** The agent's synthesized voice: when each turn was first heard and for how long the agent spoke. */
  public static boolean apply(CallState s, AudioChunk a) {
    if (a.getTurnId() == null) {
      return false;
    }
    Turn turn = turn(s, a.getTurnId());
    if (turn.getAudioChunks().contains(a.getSeq())) {
      return false;
    }
    turn.getAudioChunks().add(a.getSeq());
    long producedAt = a.getProducedAt().toEpochMilli();
    seen(s, producedAt);
    if (turn.getFirstAudioAt() == null || producedAt < turn.getFirstAudioAt()) {
      turn.setFirstAudioAt(producedAt);
    }
    turn.setAudioMs(turn.getAudioMs() + a.getDurationMs());
    return true;
  }

  /** Closes a call nothing has happened on for the inactivity timeout; a later record of it still counts. */
  public static boolean closeByInactivity(CallState s) {
    if (isEnded(s)) {
      return false;
    }
    s.setEndedAt(s.getLastEventAt());
    s.setEndReason(INACTIVITY);
    s.setClosedByInactivity(true);
    Long from = s.getAnsweredAt() != null ? s.getAnsweredAt() : s.getStartedAt();
    s.setDurationMs(from == null ? 0 : Math.max(0, s.getLastEventAt() - from));
    system(s, s.getLastEventAt(), "closed after inactivity: the call never ended");
    return true;
  }

  private static Turn turn(CallState s, String turnId) {
    for (Turn t : s.getTurns()) {
      if (t.getTurnId().equals(turnId)) {
        return t;
      }
    }
    Turn t = Turn.newBuilder().setTurnId(turnId).setChunks(new HashMap<>()).setAudioChunks(new ArrayList<>()).build();
    s.getTurns().add(t);
    return t;
  }

  private static void seen(CallState s, long at) {
    if (s.getFirstEventAt() == 0 || at < s.getFirstEventAt()) {
      s.setFirstEventAt(at);
    }
    if (at > s.getLastEventAt()) {
      s.setLastEventAt(at);
    }
    // A call closed by inactivity that speaks again is open again, until it ends or idles once more.
    if (s.getClosedByInactivity() && at > s.getEndedAt()) {
      s.setEndedAt(null);
      s.setEndReason(null);
      s.setClosedByInactivity(false);
    }
  }

  private static void system(CallState s, long at, String text) {
    s.getSystem().add(SystemEntry.newBuilder().setAt(at).setText(text).build());
  }
}
