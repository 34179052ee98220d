/**
 * The relay's connection state machine against random and mutated messages
 * (fast-check, seeded, bounded), over real sockets to a real relay running
 * in this process. Each run is one connection, fresh or authenticated, fed a
 * few messages; a model built on the protocol's decoder and docs/protocol.md
 * sections 4, 10 and 12 says what each must earn: HEARTBEAT_ACK, a
 * REPLY, nothing, or one exact close code. Never 4000, never a crash, never
 * an `internal` error; and a good pair keeps round-tripping throughout.
 */
import fc from "fast-check";
import { decodeClientMessage } from "@neural-link/shared/protocol";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayClient, newIdentity, signChallenge } from "../../relay/test/gateway-client";
import type { RelayHandle } from "../../relay/src/relay";
import { startTestRelay } from "../../relay/test/test-databases";
import { mutualPair } from "../support/devices";
import { anyText, validMessage } from "../support/fuzz-messages";
import { RoundTripProbe } from "../support/round-trip";

const SEED = 1616;
const RUNS = 300;
const SETTLE_MS = 5000;
/** Mostly well-formed messages, so that runs get past the first one and reach deeper states. */
const message = fc.oneof(
  { weight: 3, arbitrary: validMessage.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: anyText },
);

let relay: RelayHandle;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ relay, stop } = await startTestRelay());
});
afterAll(() => stop());

type Expected = { acks: number; replies: number; close: number | null };

/** What the protocol says a connection (authenticated or not) earns for these messages, in order. */
function model(texts: string[], authed: boolean): Expected {
  const out: Expected = { acks: 0, replies: 0, close: null };
  for (const text of texts) {
    const r = decodeClientMessage(text);
    if (!r.ok) return { ...out, close: r.closeCode };
    const m = r.message;
    if (m.op === 1) {
      out.acks += 1;
      continue;
    }
    if (m.op === 2) {
      if (authed) return { ...out, close: 4005 };
      const shard = m.d.shard;
      if (shard !== undefined && (shard[0] !== 0 || shard[1] !== 1)) return { ...out, close: 4010 };
      // A random signature never verifies.
      return { ...out, close: 4004 };
    }
    if (!authed) return { ...out, close: 4003 };
    if ("ref" in m.d && m.d.ref !== undefined) out.replies += 1;
  }
  return out;
}

interface Observed {
  acks: number;
  replies: Array<{ ok: boolean; code?: string }>;
  close: number | null;
}

async function run(texts: string[], authed: boolean): Promise<Observed> {
  const ws = new WebSocket(relay.url);
  const seen: Observed = { acks: 0, replies: [], close: null };
  let hello: { challenge: string; relay: string } | null = null;
  const events: Array<() => void> = [];
  const changed = () => {
    for (const e of events.splice(0)) e();
  };
  ws.on("error", () => undefined);
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString()) as {
      op: number;
      t?: string;
      d: { ref?: string; ok?: boolean; code?: string; challenge: string; relay: string };
    };
    if (m.op === 4) hello = m.d;
    if (m.op === 3) seen.acks += 1;
    if (m.op === 0 && m.t === "REPLY" && m.d.ref !== "fuzz-ready")
      seen.replies.push({ ok: m.d.ok === true, code: m.d.code });
    if (m.op === 0 && m.t === "READY") seen.acks = -1; // marks authentication done; reset below
    changed();
  });
  ws.on("close", (code) => {
    seen.close = code;
    changed();
  });
  const wait = async (done: () => boolean) => {
    const deadline = Date.now() + SETTLE_MS;
    while (!done() && Date.now() < deadline) await new Promise<void>((r) => events.push(r) && setTimeout(r, 50));
    return done();
  };
  await wait(() => hello !== null || seen.close !== null);
  if (authed) {
    const identity = newIdentity();
    ws.send(
      JSON.stringify({
        op: 2,
        d: { device: identity.device, sig: signChallenge(identity, hello!.challenge, hello!.relay) },
      }),
    );
    await wait(() => seen.acks === -1);
    seen.acks = 0;
  }
  for (const text of texts) ws.send(text);
  // A last HEARTBEAT: its ACK means every message before it was read (the relay reads them in order);
  // replies of ops that write to the database come after their commit, so they are waited for too.
  const expected = model(texts, authed);
  ws.send('{"op":1,"d":null}');
  await wait(() => seen.close !== null || (seen.acks >= expected.acks + 1 && seen.replies.length >= expected.replies));
  if (seen.close === null && expected.close !== null) await wait(() => seen.close !== null);
  if (seen.close === null) ws.terminate();
  return seen;
}

describe("the relay's connection state machine under fuzzing", () => {
  it("answers every input as the protocol says, and keeps serving a good pair", async () => {
    const [a, b] = await mutualPair(relay.url);
    const probe = new RoundTripProbe(a, b);
    const codes: Record<string, number> = {};
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), fc.boolean(), async (texts, authed) => {
        runs += 1;
        const expected = model(texts, authed);
        const seen = await run(texts, authed);
        const key = String(expected.close ?? "open");
        codes[key] = (codes[key] ?? 0) + 1;
        expect(seen.close === null || seen.close !== 4000).toBe(true);
        if (expected.close !== null) expect(seen.close).toBe(expected.close);
        else {
          expect(seen.close).toBeNull();
          expect(seen.replies).toHaveLength(expected.replies);
        }
        expect(seen.replies.filter((r) => r.code === "internal")).toEqual([]);
        if (runs % 50 === 0) expect(Number.isFinite(await probe.once(5000))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`[faults] gateway fuzz: ${runs} connections, outcomes by close code ${JSON.stringify(codes)}`);
    expect(Number.isFinite(await probe.once(5000))).toBe(true);
    probe.dispose();
    a.close();
    b.close();
    // Still a fresh client's relay: HELLO, AUTH, READY.
    const fresh = await GatewayClient.connect(relay.url);
    expect((await fresh.auth()).t).toBe("READY");
    fresh.close();
  });
});
