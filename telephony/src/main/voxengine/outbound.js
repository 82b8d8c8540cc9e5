/*
 * Sales Voice Assistant — the outbound VoxEngine scenario (bind it to the routing rule SVA_TELEPHONY_VOXIMPLANT_RULE_ID).
 *
 * The telephony worker starts it with StartScenarios; VoxEngine.customData() is the JSON the worker built:
 *   callId, phoneNumber, callerId, campaignId, leadId, attempt, language, scriptId, parameters{}, ringTimeoutSeconds,
 *   mediaUrl, mediaToken (opens this call's media stream at ingest-audio), callbackUrl, callbackToken (authorizes
 *   reports about this call only).
 *
 * It dials the lead; when the lead answers it streams the call's audio to ingest-audio (/media/voximplant) and plays
 * back what comes from there. A call that never reaches the media stream (no answer, busy, failed, or a media stream
 * that cannot be opened) is reported to the worker's callback, which tells the dialer. Calls that reached the stream
 * are ended by ingest-audio. Tokens and the number are never written to the session log.
 */
require(Modules.WebSocket);

/** SIP final codes of CallEvents.Failed, as the outcome the dialer understands. */
function resultOf(code) {
  if (code === 486 || code === 600 || code === 603) {
    return "BUSY";
  }
  if (code === 408 || code === 480 || code === 487) {
    return "NO_ANSWER";
  }
  return "FAILED";
}

/** Reports an outcome to the telephony worker; one retry when the answer is not 2xx. Resolves in any case. */
function report(data, result, code, reason) {
  const body = JSON.stringify({
    callId: data.callId,
    campaignId: data.campaignId,
    result: result,
    code: code,
    reason: reason,
  });
  const options = {
    method: "POST",
    postData: body,
    headers: ["Content-Type: application/json", "Authorization: Bearer " + data.callbackToken],
    timeout: 10,
  };
  const send = () => Net.httpRequestAsync(data.callbackUrl, options);
  const ok = (r) => r && r.code >= 200 && r.code < 300;
  return send()
    .then((r) => (ok(r) ? r : send()))
    .then((r) => Logger.write("outcome " + result + " reported: HTTP " + (r && r.code)))
    .catch((e) => Logger.write("outcome " + result + " could not be reported: " + e));
}

/** What ingest-audio reads from the start frame; the call's own parameters first, ours win over them. */
function mediaParameters(data) {
  const p = {};
  const extra = data.parameters || {};
  Object.keys(extra).forEach((k) => {
    p[k] = String(extra[k]);
  });
  p.token = data.mediaToken;
  p.callId = data.callId;
  p.direction = "OUTBOUND";
  ["campaignId", "leadId", "phoneNumber", "language", "scriptId"].forEach((k) => {
    if (data[k] !== undefined && data[k] !== null) {
      p[k] = String(data[k]);
    }
  });
  return p;
}

VoxEngine.addEventListener(AppEvents.Started, () => {
  let data;
  try {
    data = JSON.parse(VoxEngine.customData());
  } catch (e) {
    Logger.write("the custom data is not JSON: nothing to dial");
    VoxEngine.terminate();
    return;
  }
  Logger.write("placing call " + data.callId);

  let finished = false;
  const finish = (result, code, reason) => {
    if (finished) {
      return;
    }
    finished = true;
    report(data, result, code, reason).then(() => VoxEngine.terminate());
  };

  const call = VoxEngine.callPSTN(data.phoneNumber, data.callerId);
  const ringTimer = setTimeout(() => {
    call.hangup();
    finish("NO_ANSWER", 408, "no answer within " + data.ringTimeoutSeconds + " s");
  }, (data.ringTimeoutSeconds || 30) * 1000);

  call.addEventListener(CallEvents.Failed, (e) => {
    clearTimeout(ringTimer);
    finish(resultOf(e.code), e.code, e.reason);
  });

  call.addEventListener(CallEvents.Connected, () => {
    clearTimeout(ringTimer);
    let streaming = false;
    const ws = VoxEngine.createWebSocket(data.mediaUrl);
    ws.addEventListener(WebSocketEvents.OPEN, () => {
      streaming = true;
      call.sendMediaTo(ws, {
        encoding: WebSocketAudioEncoding.ULAW,
        customParameters: mediaParameters(data),
      });
      ws.sendMediaTo(call); // the agent's voice back into the call
    });
    const mediaGone = (why) => {
      if (!streaming) {
        // The lead answered but never reached the pipeline: nobody else will end this call for the dialer.
        call.hangup();
        finish("FAILED", 503, "the media stream could not be opened: " + why);
      } else {
        call.hangup();
      }
    };
    ws.addEventListener(WebSocketEvents.ERROR, () => mediaGone("error"));
    ws.addEventListener(WebSocketEvents.CLOSE, () => mediaGone("closed"));
    call.addEventListener(CallEvents.Disconnected, () => {
      ws.close();
      if (streaming || finished) {
        VoxEngine.terminate();
      }
    });
  });
});
