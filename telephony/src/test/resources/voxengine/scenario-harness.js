// Runs the VoxEngine scenario given as argv[2] against a SIMULATED VoxEngine runtime (just the objects the scenario
// uses, behaving as VoxEngine's reference documents them) and checks what it does in three call flows. Exit code 0
// when every check passed; the failed check's message otherwise.
"use strict";
const fs = require("fs");
const vm = require("vm");
const assert = require("assert");

const source = fs.readFileSync(process.argv[2], "utf8");
const customData = {
  callId: "call-42", phoneNumber: "+79991234567", callerId: "+74950000000", campaignId: "spring-promo",
  leadId: "lead-7", attempt: 1, language: "ru-RU", scriptId: "sales-ru", parameters: { name: "Ivan", token: "forged" },
  ringTimeoutSeconds: 25, mediaUrl: "wss://ingest.example.com/media/voximplant", mediaToken: "media-token",
  callbackUrl: "https://telephony.example.com/api/voximplant/events", callbackToken: "callback-token",
};

function emitter() {
  const listeners = {};
  return {
    addEventListener(name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
    emit(name, e) { (listeners[name] || []).forEach((fn) => fn(e || {})); },
  };
}

function runtime() {
  const world = { requests: [], sockets: [], calls: [], terminated: false, timers: [], logs: [] };
  const engine = emitter();
  const sandbox = {
    Modules: { WebSocket: "WebSocket" },
    require() {},
    AppEvents: { Started: "AppEvents.Started" },
    CallEvents: { Connected: "Connected", Failed: "Failed", Disconnected: "Disconnected" },
    WebSocketEvents: { OPEN: "OPEN", CLOSE: "CLOSE", ERROR: "ERROR" },
    WebSocketAudioEncoding: { ULAW: "ULAW" },
    Logger: { write: (m) => world.logs.push(String(m)) },
    setTimeout: (fn, ms) => { world.timers.push({ fn, ms }); return world.timers.length; },
    clearTimeout: (id) => { if (world.timers[id - 1]) world.timers[id - 1].cleared = true; },
    Net: {
      httpRequestAsync(url, options) {
        world.requests.push({ url, options });
        return Promise.resolve({ code: 202, text: "{}" });
      },
    },
    VoxEngine: {
      addEventListener: engine.addEventListener,
      customData: () => JSON.stringify(customData),
      callPSTN(number, callerId) {
        const call = Object.assign(emitter(), {
          number, callerId, media: [], hungUp: false,
          sendMediaTo(target, options) { call.media.push({ target, options }); },
          hangup() { call.hungUp = true; },
        });
        world.calls.push(call);
        return call;
      },
      createWebSocket(url) {
        const ws = Object.assign(emitter(), {
          url, closed: false, sentTo: [],
          sendMediaTo(call) { ws.sentTo.push(call); },
          close() { ws.closed = true; },
        });
        world.sockets.push(ws);
        return ws;
      },
      terminate() { world.terminated = true; },
    },
  };
  vm.runInNewContext(source, sandbox, { filename: process.argv[2] });
  engine.emit("AppEvents.Started", {});
  return world;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function busyIsReported() {
  const world = runtime();
  const call = world.calls[0];
  assert.strictEqual(call.number, "+79991234567");
  assert.strictEqual(call.callerId, "+74950000000");
  call.emit("Failed", { code: 486, reason: "Busy Here" });
  await settle(); await settle();
  assert.strictEqual(world.requests.length, 1, "one report");
  const { url, options } = world.requests[0];
  assert.strictEqual(url, customData.callbackUrl);
  assert.strictEqual(options.method, "POST");
  assert.ok(options.headers.includes("Authorization: Bearer callback-token"), "the call's callback token");
  const body = JSON.parse(options.postData);
  assert.deepStrictEqual([body.callId, body.result, body.code, body.campaignId], ["call-42", "BUSY", 486, "spring-promo"]);
  assert.ok(world.terminated, "the session ends after the report");
  assert.ok(!world.logs.some((l) => l.includes("7999") || l.includes("token")), "no number or token in the log");
}

async function noAnswerAfterTheRingTimeout() {
  const world = runtime();
  const ring = world.timers[0];
  assert.strictEqual(ring.ms, 25000);
  ring.fn();
  await settle(); await settle();
  assert.ok(world.calls[0].hungUp);
  assert.strictEqual(JSON.parse(world.requests[0].options.postData).result, "NO_ANSWER");
}

async function anAnsweredCallStreamsToIngestAudio() {
  const world = runtime();
  const call = world.calls[0];
  call.emit("Connected", {});
  assert.ok(world.timers[0].cleared, "the ring timer stops");
  const ws = world.sockets[0];
  assert.strictEqual(ws.url, customData.mediaUrl);
  ws.emit("OPEN", {});
  const { target, options } = call.media[0];
  assert.strictEqual(target, ws);
  assert.strictEqual(options.encoding, "ULAW");
  const p = options.customParameters;
  assert.strictEqual(p.token, "media-token", "our token wins over a parameter of that name");
  assert.deepStrictEqual([p.callId, p.campaignId, p.leadId, p.language, p.scriptId, p.direction, p.name],
    ["call-42", "spring-promo", "lead-7", "ru-RU", "sales-ru", "OUTBOUND", "Ivan"]);
  Object.values(p).forEach((v) => assert.strictEqual(typeof v, "string"));
  assert.deepStrictEqual(ws.sentTo, [call], "the agent's voice goes back into the call");
  call.emit("Disconnected", {});
  await settle();
  assert.ok(ws.closed);
  assert.strictEqual(world.requests.length, 0, "ingest-audio ends connected calls, not the scenario");
  assert.ok(world.terminated);
}

async function aMediaStreamThatCannotOpenIsReportedFailed() {
  const world = runtime();
  world.calls[0].emit("Connected", {});
  world.sockets[0].emit("ERROR", {});
  await settle(); await settle();
  assert.ok(world.calls[0].hungUp);
  assert.strictEqual(JSON.parse(world.requests[0].options.postData).result, "FAILED");
}

(async () => {
  for (const check of [busyIsReported, noAnswerAfterTheRingTimeout, anAnsweredCallStreamsToIngestAudio,
    aMediaStreamThatCannotOpenIsReportedFailed]) {
    try {
      await check();
      console.log("ok " + check.name);
    } catch (e) {
      console.log("FAILED " + check.name + ": " + e.message);
      process.exit(1);
    }
  }
})();
