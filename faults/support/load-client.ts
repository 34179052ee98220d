/**
 * Abusive clients, run as their own process so that their CPU is not the
 * test's (`node --import tsx faults/support/load-client.ts <mode> <url> ...`).
 * Prints one line `RESULT {json}` at the end.
 *
 * - `flood <url> <seconds>`: a granted device SENDs qos 0 frames as fast as
 *   its socket takes them; when closed it reconnects and floods again.
 * - `silent <url> <count>`: `count` connections that never AUTH.
 * - `badsig <url> <count>`: `count` connections that AUTH with a bad signature.
 */
import WebSocket from "ws";
import { frameId, GatewayClient, newIdentity, signChallenge } from "../../relay/test/gateway-client";

type Result = Record<string, unknown>;

/** The flooder's own send buffer cap: it floods the relay, not its own memory. */
const FLOODER_MAX_BUFFERED = 1 << 20;

async function flood(url: string, seconds: number): Promise<Result> {
  const sink = await GatewayClient.connect(url);
  await sink.auth();
  const flooder = newIdentity();
  const closes: Record<string, number> = {};
  const replies: Record<string, number> = {};
  let sent = 0;
  let connections = 0;
  const end = Date.now() + seconds * 1000;
  let granted = false;
  while (Date.now() < end) {
    const c = await GatewayClient.connect(url, flooder);
    await c.auth();
    connections += 1;
    if (!granted) {
      await sink.request(8, { peer: flooder.device });
      granted = true;
      // The test starts measuring here: this process's own start-up (tsx) is over.
      process.stdout.write("FLOODING\n");
    }
    c.ws.on("message", (data) => {
      const m = JSON.parse(data.toString()) as { t?: string; d?: { ok?: boolean; code?: string; status?: string } };
      if (m.t === "REPLY" || m.t === "ERROR") {
        const key = m.d?.ok === true ? `ok:${m.d.status}` : String(m.d?.code);
        replies[key] = (replies[key] ?? 0) + 1;
      }
    });
    const payload = (i: number) =>
      JSON.stringify({ op: 5, d: { id: frameId(), to: sink.device, body: "Zmxvb2Q", qos: 0, ref: `f${i}` } });
    while (c.ws.readyState === WebSocket.OPEN && Date.now() < end) {
      for (let i = 0; i < 200 && c.ws.bufferedAmount < FLOODER_MAX_BUFFERED; i++) c.ws.send(payload(sent++));
      // A full buffer means the relay stopped reading: wait rather than spin (the flooder's CPU
      // would otherwise be taken from the relay and the probe on this shared machine).
      if (c.ws.bufferedAmount >= FLOODER_MAX_BUFFERED) await new Promise((r) => setTimeout(r, 5));
      else await new Promise((r) => setImmediate(r));
    }
    if (c.ws.readyState === WebSocket.OPEN) c.close();
    const { code } = await c.closed;
    closes[code] = (closes[code] ?? 0) + 1;
  }
  sink.close();
  return { sent, connections, closes, replies };
}

/** Connections opened per wave; the next wave starts once this one has its HELLOs (or failed). */
const WAVE = 100;

async function many(url: string, count: number, authenticate: boolean): Promise<Result> {
  const closes: Record<string, number> = {};
  const failedToOpen: Record<string, number> = {};
  const all: Promise<void>[] = [];
  for (let start = 0; start < count; start += WAVE) {
    const hellos: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + WAVE); i++) {
      let helloed!: () => void;
      hellos.push(new Promise<void>((r) => (helloed = r)));
      all.push(
        new Promise<void>((resolve) => {
          const ws = new WebSocket(url);
          let opened = false;
          let lastError = "closed before opening";
          ws.on("error", (err) => (lastError = err.message));
          ws.on("open", () => (opened = true));
          ws.on("message", (data) => {
            const m = JSON.parse(data.toString()) as { op: number; d: { challenge: string; relay: string } };
            if (m.op !== 4) return;
            helloed();
            if (!authenticate) return;
            const who = newIdentity();
            // Signed with another key than the device's: a well-formed, wrong signature.
            const sig = signChallenge(newIdentity(), m.d.challenge, m.d.relay);
            ws.send(JSON.stringify({ op: 2, d: { device: who.device, sig } }));
          });
          ws.on("close", (code) => {
            helloed();
            if (opened) closes[code] = (closes[code] ?? 0) + 1;
            else failedToOpen[lastError] = (failedToOpen[lastError] ?? 0) + 1;
            resolve();
          });
        }),
      );
    }
    await Promise.all(hellos);
  }
  await Promise.all(all);
  return { count, closes, failedToOpen };
}

async function main(): Promise<void> {
  const [mode, url, arg] = process.argv.slice(2);
  if (url === undefined || arg === undefined) throw new Error("usage: load-client.ts <flood|silent|badsig> <url> <n>");
  const n = Number(arg);
  let result: Result;
  if (mode === "flood") result = await flood(url, n);
  else if (mode === "silent") result = await many(url, n, false);
  else if (mode === "badsig") result = await many(url, n, true);
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
