// The browser test client of ingest-audio: microphone → /media/pcm (16 kHz PCM16, 20 ms frames), the agent's audio
// played back gap-free, the call's transcripts and turns from /api/calls/{callId}/events, latency per turn.
// Plain JavaScript, no build step, nothing loaded from outside this origin.
"use strict";

(() => {
  const RATE = 16000;
  const FRAME_SAMPLES = 320; // 20 ms at 16 kHz
  const FRAME_MS = 20;
  const KEY_STORAGE = "sva.ingest.apiKey";
  const SENT_RING = 1 << 17; // send times of the last ~43 minutes of frames
  const ARRIVALS_KEPT = 4096;

  // What each close code of the media socket means (ingest-audio/README.md, "Close codes").
  const CLOSE_CODES = {
    1000: "call ended normally",
    1003: "the edge does not support what was sent (rate, encoding or event)",
    1005: "closed without a status",
    1006: "the connection failed or was refused at the handshake (token rejected, or the server is unreachable)",
    1007: "a malformed frame was sent",
    1008: "not authorised: missing, invalid or expired token, or a token for another call",
    1009: "a frame was too big",
    1011: "the pipeline (Kafka) failed while writing the call",
    1013: "this ingest instance is not ready (no reply partition yet): try again in a moment",
    4408: "no audio for too long (idle timeout)",
    4409: "this call already has a live media connection",
  };

  const $ = (id) => document.getElementById(id);

  const stats = { framesSent: 0, framesReceived: 0, framesPlayed: 0, clears: 0, marks: 0 };
  // Exposed for people curious in the console, and for the automated browser test.
  const client = { stats, latencies: [], slots: {}, closeCode: null, closeReason: null, error: null };
  window.svaClient = client;

  let call = null; // the live call's resources

  // ---- the API key: typed in, or given as #key=… (a fragment never reaches the server), kept in this tab only ----
  function initApiKey() {
    const match = location.hash.match(/(?:^#|&)key=([^&]*)/);
    if (match) {
      sessionStorage.setItem(KEY_STORAGE, decodeURIComponent(match[1]));
      history.replaceState(null, "", location.pathname + location.search); // not in the history, not on screen
    }
    $("api-key").value = sessionStorage.getItem(KEY_STORAGE) || "";
    $("call-id").value = "browser-" + Math.random().toString(36).slice(2, 10);
  }

  // ---- on screen ----
  function setStatus(text, state) {
    const el = $("status");
    el.textContent = text;
    el.dataset.state = state;
  }

  function showError(text) {
    client.error = text;
    const el = $("error");
    el.textContent = text;
    el.hidden = false;
  }

  function clearError() {
    client.error = null;
    $("error").hidden = true;
    $("error").textContent = "";
  }

  function renderStats() {
    const ids = { framesSent: "stat-frames-sent", framesReceived: "stat-frames-received",
      framesPlayed: "stat-frames-played", clears: "stat-clears", marks: "stat-marks" };
    for (const [k, id] of Object.entries(ids)) {
      const el = $(id);
      if (el.dataset.value !== String(stats[k])) {
        el.dataset.value = String(stats[k]);
        el.textContent = String(stats[k]);
      }
    }
  }

  let statsQueued = false;
  function statsChanged() {
    if (!statsQueued) {
      statsQueued = true;
      requestAnimationFrame(() => { statsQueued = false; renderStats(); });
      setTimeout(() => { if (statsQueued) { statsQueued = false; renderStats(); } }, 250); // hidden tabs
    }
  }

  function addLine(who, cls, text, meta) {
    const li = document.createElement("li");
    li.className = cls;
    const w = document.createElement("span");
    w.className = "who";
    w.textContent = who + ":";
    const t = document.createElement("span");
    t.className = "text";
    t.textContent = text;
    const m = document.createElement("div");
    m.className = "meta";
    m.textContent = meta || "";
    li.append(w, t, m);
    $("conversation").append(li);
    li.scrollIntoView({ block: "nearest" });
    return li;
  }

  function formatMs(ms) {
    return ms == null ? "—" : Math.round(ms) + " ms";
  }

  // ---- latency: when the page sent each frame, when agent audio arrived ----
  const sentAt = new Float64Array(SENT_RING);
  const arrivals = [];

  /** performance.now() when the page sent the audio at media time `endMs` (the frame holding it), or null. */
  function sentTimeOf(endMs) {
    const frame = Math.max(0, Math.ceil(endMs / FRAME_MS) - 1);
    if (frame >= stats.framesSent || frame < stats.framesSent - SENT_RING) {
      return null;
    }
    return sentAt[frame % SENT_RING];
  }

  function latencyRow(utteranceId, text, speechEndSent) {
    const row = { utteranceId, text, speechEndSent, transcriptMs: null, firstChunkMs: null, voiceToVoiceMs: null };
    const tr = document.createElement("tr");
    tr.dataset.utteranceId = utteranceId;
    const cells = ["text", "transcript", "chunk", "v2v"].map((name) => {
      const td = document.createElement("td");
      td.dataset.cell = name;
      if (name !== "text") {
        td.className = "ms";
      }
      tr.append(td);
      return td;
    });
    cells[0].textContent = text;
    row.render = () => {
      cells[1].textContent = formatMs(row.transcriptMs);
      cells[2].textContent = formatMs(row.firstChunkMs);
      cells[3].textContent = formatMs(row.voiceToVoiceMs);
      for (const [i, v] of [[1, row.transcriptMs], [2, row.firstChunkMs], [3, row.voiceToVoiceMs]]) {
        cells[i].dataset.ms = v == null ? "" : String(Math.round(v));
      }
    };
    row.render();
    $("latency").tBodies[0].append(tr);
    client.latencies.push(row);
    return row;
  }

  function firstArrivalAfter(t) {
    for (const a of arrivals) {
      if (a > t) {
        return a;
      }
    }
    return null;
  }

  // ---- the live view: transcripts and turns ----
  const turns = new Map(); // turnId → { li, texts[] }
  const byUtterance = new Map(); // utteranceId → latency row

  function onTranscript(t, arrivedAt) {
    if (!t.isFinal) {
      $("partial").textContent = t.text;
      return;
    }
    $("partial").textContent = "";
    addLine("You", "customer", t.text, `final · confidence ${Number(t.confidence).toFixed(2)} · ${t.engine}`);
    if (byUtterance.has(t.utteranceId)) {
      return;
    }
    const speechEndSent = sentTimeOf(t.endMs);
    const row = latencyRow(t.utteranceId, t.text, speechEndSent);
    byUtterance.set(t.utteranceId, row);
    if (speechEndSent != null) {
      row.transcriptMs = arrivedAt - speechEndSent;
      const audio = firstArrivalAfter(speechEndSent);
      if (audio != null) {
        row.voiceToVoiceMs = audio - speechEndSent;
      }
    }
    row.render();
  }

  function onTurn(d, arrivedAt) {
    let turn = turns.get(d.turnId);
    if (!turn) {
      const li = addLine("Agent", "agent", "", "");
      li.dataset.turnId = d.turnId;
      turn = { li, texts: [] };
      turns.set(d.turnId, turn);
      const row = d.inReplyTo ? byUtterance.get(d.inReplyTo) : null;
      if (row && row.speechEndSent != null && row.firstChunkMs == null) {
        row.firstChunkMs = arrivedAt - row.speechEndSent;
        row.render();
      }
    }
    turn.texts[d.chunkIndex] = d.text;
    turn.li.querySelector(".text").textContent = turn.texts.filter((x) => x != null).join(" ");
    const meta = [d.state && `state ${d.state}`, d.intent && `intent ${d.intent}`, d.action && `action ${d.action}`]
      .filter(Boolean).join(" · ");
    turn.li.querySelector(".meta").textContent = meta;
    if (d.slots && Object.keys(d.slots).length > 0) {
      Object.assign(client.slots, d.slots);
      renderSlots();
    }
    $("dialog-state").textContent = d.state ? `Script state: ${d.state}` : "";
  }

  function renderSlots() {
    const body = $("slots").tBodies[0];
    body.replaceChildren();
    for (const name of Object.keys(client.slots).sort()) {
      const tr = document.createElement("tr");
      tr.dataset.slot = name;
      const k = document.createElement("th");
      k.scope = "row";
      k.textContent = name;
      const v = document.createElement("td");
      v.textContent = client.slots[name];
      tr.append(k, v);
      body.append(tr);
    }
  }

  function openLiveView(callId, token) {
    return new Promise((resolve, reject) => {
      const url = `/api/calls/${encodeURIComponent(callId)}/events?token=${encodeURIComponent(token)}`;
      const events = new EventSource(url);
      let ready = false;
      const timer = setTimeout(() => {
        if (!ready) {
          events.close();
          reject(new Error("the live view did not start within 20 s"));
        }
      }, 20000);
      events.addEventListener("ready", () => {
        ready = true;
        clearTimeout(timer);
        resolve(events);
      });
      events.addEventListener("transcript", (e) => onTranscript(JSON.parse(e.data), performance.now()));
      events.addEventListener("turn", (e) => onTurn(JSON.parse(e.data), performance.now()));
      events.onerror = async () => {
        if (events.readyState !== EventSource.CLOSED) {
          return; // the browser reconnects by itself
        }
        clearTimeout(timer);
        const why = await refusalOf(url);
        if (!ready) {
          reject(new Error("live view refused: " + why));
        } else {
          showError("The live view closed: " + why);
        }
      };
    });
  }

  /** Why the server refused a URL (EventSource does not tell): its status and the message of its JSON body. */
  async function refusalOf(url) {
    const abort = new AbortController();
    try {
      const r = await fetch(url, { signal: abort.signal });
      if (r.ok) {
        return "the connection dropped";
      }
      return `${r.status} ${await messageOf(r)}`;
    } catch (e) {
      return "the server is unreachable";
    } finally {
      abort.abort();
    }
  }

  async function messageOf(response) {
    try {
      const body = await response.json();
      return body.message || body.error || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  // ---- agent audio: scheduled back to back, dropped on clear ----
  function playAgentFrame(ctx, buffer) {
    const samples = Math.floor(buffer.byteLength / 2);
    if (samples === 0) {
      return;
    }
    const view = new DataView(buffer);
    const audio = ctx.createBuffer(1, samples, RATE);
    const data = audio.getChannelData(0);
    for (let i = 0; i < samples; i++) {
      data[i] = view.getInt16(i * 2, true) / 32768;
    }
    const source = ctx.createBufferSource();
    source.buffer = audio;
    source.connect(ctx.destination);
    const now = ctx.currentTime;
    if (call.playHead < now + 0.01) {
      call.playHead = now + 0.04; // (re)start with a small cushion against network jitter
    }
    source.start(call.playHead);
    call.playHead += audio.duration;
    const playing = call.playing;
    playing.add(source);
    source.onended = () => {
      if (playing.delete(source) && !source.cancelled) {
        stats.framesPlayed++;
        statsChanged();
      }
    };
  }

  function clearPlayback() {
    for (const source of call.playing) {
      source.cancelled = true;
      try {
        source.stop();
      } catch (e) {
        // not started yet in some browsers: nothing to stop
      }
    }
    call.playing.clear();
    call.playHead = 0;
  }

  // ---- the call ----
  async function requestToken(apiKey, callId) {
    let response;
    try {
      response = await fetch("/api/call-tokens", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Api-Key": apiKey },
        body: JSON.stringify({ callId, ttlSeconds: 3600 }),
      });
    } catch (e) {
      throw new Error("ingest-audio is unreachable: " + e.message);
    }
    if (response.status === 401) {
      throw new Error(`API key refused (401): ${await messageOf(response)}`);
    }
    if (!response.ok) {
      throw new Error(`no call token (${response.status}): ${await messageOf(response)}`);
    }
    return (await response.json()).token;
  }

  function mediaUrl(token, language, campaignId) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const q = new URLSearchParams({ rate: String(RATE), token, language });
    if (campaignId) {
      q.set("campaignId", campaignId);
    }
    return `${scheme}//${location.host}/media/pcm?${q}`;
  }

  function openSocket(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      ws.onopen = () => resolve(ws);
      ws.onclose = (e) => reject(closeError(e));
    });
  }

  function closeError(e) {
    const meaning = CLOSE_CODES[e.code] || "unexpected close";
    const err = new Error(`media connection closed: ${e.code} ${e.reason || ""} — ${meaning}`.replace("  ", " "));
    err.code = e.code;
    err.reason = e.reason;
    return err;
  }

  async function startCall(event) {
    event.preventDefault();
    if (call) {
      return;
    }
    clearError();
    const apiKey = $("api-key").value.trim();
    const callId = $("call-id").value.trim();
    const language = $("language").value;
    const campaignId = $("campaign-id").value.trim();
    $("start").disabled = true;
    call = { playing: new Set(), playHead: 0, callId };
    try {
      setStatus("Asking ingest-audio for a call token…", "starting");
      const token = await requestToken(apiKey, callId);
      sessionStorage.setItem(KEY_STORAGE, apiKey);

      setStatus("Opening the live view…", "starting");
      call.events = await openLiveView(callId, token);

      setStatus("Waiting for the microphone…", "starting");
      call.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
      call.ctx = new AudioContext({ latencyHint: "interactive" });
      await call.ctx.resume();
      await call.ctx.audioWorklet.addModule("pcm-capture-worklet.js");
      call.capture = new AudioWorkletNode(call.ctx, "pcm16-capture", {
        numberOfOutputs: 1,
        processorOptions: { targetRate: RATE, frameSamples: FRAME_SAMPLES },
      });
      const mute = call.ctx.createGain(); // keeps the capture node pulled by the graph without playing the mic
      mute.gain.value = 0;
      call.capture.connect(mute).connect(call.ctx.destination);

      setStatus("Connecting the call…", "starting");
      call.ws = await openSocket(mediaUrl(token, language, campaignId));
      call.ws.onclose = (e) => endCall(e);
      call.ws.onmessage = (e) => onMediaMessage(e);
      call.capture.port.onmessage = (e) => {
        if (call && call.ws && call.ws.readyState === WebSocket.OPEN) {
          sentAt[stats.framesSent % SENT_RING] = performance.now();
          call.ws.send(e.data.buffer);
          stats.framesSent++;
          statsChanged();
        }
      };
      call.source = call.ctx.createMediaStreamSource(call.stream);
      call.source.connect(call.capture);
      $("hang-up").disabled = false;
      setStatus(`Live: call ${callId} (${language}). Speak now.`, "live");
    } catch (e) {
      showError(e.message || String(e));
      if (e.code) {
        client.closeCode = e.code;
        client.closeReason = e.reason;
      }
      teardown();
      setStatus("Not connected.", "idle");
    }
  }

  function onMediaMessage(e) {
    if (typeof e.data === "string") {
      let control;
      try {
        control = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      if (control.event === "clear") {
        clearPlayback();
        stats.clears++;
      } else if (control.event === "mark") {
        stats.marks++;
      }
      statsChanged();
      return;
    }
    const now = performance.now();
    arrivals.push(now);
    if (arrivals.length > ARRIVALS_KEPT) {
      arrivals.shift();
    }
    stats.framesReceived++;
    for (const row of client.latencies) {
      if (row.voiceToVoiceMs == null && row.speechEndSent != null && now > row.speechEndSent) {
        row.voiceToVoiceMs = now - row.speechEndSent;
        row.render();
      }
    }
    playAgentFrame(call.ctx, e.data);
    statsChanged();
  }

  function endCall(e) {
    client.closeCode = e.code;
    client.closeReason = e.reason;
    if (e.code === 1000) {
      setStatus(`Call ended (${e.code}${e.reason ? " " + e.reason : ""}).`, "idle");
    } else {
      showError(closeError(e).message);
      setStatus("Call ended with an error.", "idle");
    }
    teardown();
  }

  function hangUp() {
    if (call && call.ws && call.ws.readyState === WebSocket.OPEN) {
      call.ws.send(JSON.stringify({ event: "stop" })); // the edge ends the call and closes with 1000
    } else {
      teardown();
    }
  }

  function teardown() {
    if (!call) {
      return;
    }
    const c = call;
    if (c.events) c.events.close();
    if (c.source) c.source.disconnect();
    if (c.stream) c.stream.getTracks().forEach((t) => t.stop());
    if (c.ws && c.ws.readyState <= WebSocket.OPEN) c.ws.close(1000);
    if (c.ctx) {
      // let the agent's last queued words finish before the context goes away
      const rest = Math.max(0, c.playHead - c.ctx.currentTime);
      setTimeout(() => c.ctx.close(), rest * 1000 + 100);
    }
    call = null;
    $("start").disabled = false;
    $("hang-up").disabled = true;
  }

  document.addEventListener("DOMContentLoaded", () => {
    initApiKey();
    $("call-form").addEventListener("submit", startCall);
    $("hang-up").addEventListener("click", hangUp);
    renderStats();
  });
})();
