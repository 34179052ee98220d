/**
 * The envelope layer under an adversarial network, in the spirit of
 * libsignal's interaction fuzzer: random interleavings of send, drop,
 * duplicate, reorder, replay, tampering, a swapped sender, handler failures
 * and a receiver restart (its remembered ids kept) between two endpoints.
 * fast-check, seeded and bounded. The network is a stand-in for the relay
 * (shared may not import the relay); what is under test is Endpoint,
 * SeenIds and the envelope checks.
 *
 * Properties: every message handled equals one that was sent (id, type,
 * data, sender); no id is handled twice; a qos 1 frame is ACKed only once its
 * handling committed, or when it is dropped (replay, tampering, stranger),
 * and a frame whose handling failed is not ACKed until it is handled.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateIdentity } from "../crypto/identity";
import { MemorySeenIds } from "../crypto/seen-ids";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import type { FrameEvent } from "../protocol/events";
import { Endpoint, type IncomingMessage } from "./endpoint";
import type { OutgoingFrame } from "./frame-sender";
import type { GatewayClient } from "./gateway-client";

/** The parts of a GatewayClient an Endpoint uses, recording what it was asked to do. */
class Wire {
  readonly sent: OutgoingFrame[] = [];
  readonly acks: string[] = [];
  private listener: ((f: FrameEvent) => void) | null = null;
  /** Called at each ACK, to check what was committed by then. */
  onAck: (id: string) => void = () => {};

  on(_event: "frame", fn: (f: FrameEvent) => void): () => void {
    this.listener = fn;
    return () => (this.listener = null);
  }
  async send(frame: OutgoingFrame): Promise<"stored"> {
    this.sent.push(frame);
    return "stored";
  }
  ack(id: string): void {
    this.onAck(id);
    this.acks.push(id);
  }
  limits() {
    return { maxBodyBytes: 512 * 1024, maxMessageBytes: 1024 * 1024 };
  }
  deliver(f: FrameEvent): void {
    this.listener?.(f);
  }
  asGateway(): GatewayClient {
    return this as unknown as GatewayClient;
  }
}

type Action =
  | { kind: "send"; qos: 0 | 1; n: number }
  | { kind: "deliver"; pick: number }
  | { kind: "duplicate"; pick: number }
  | { kind: "drop"; pick: number }
  | { kind: "tamper"; pick: number; byte: number }
  | { kind: "stranger"; pick: number }
  | { kind: "failNext" }
  | { kind: "restart" };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      qos: fc.constantFrom(0 as const, 1 as const),
      n: fc.integer({ min: 0, max: 1e6 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("tamper" as const), pick: fc.nat(), byte: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stranger" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "failNext" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "restart" as const }) },
);

async function run(actions: Action[]): Promise<void> {
  const a = generateIdentity();
  const b = generateIdentity();
  const aId = b64uEncode(a.signPublicKey);
  const bId = b64uEncode(b.signPublicKey);
  const wireA = new Wire();
  const sender = new Endpoint({ gateway: wireA.asGateway(), identity: a, seen: new MemorySeenIds() });
  sender.peers.set(bId, b.boxPublicKey);
  // B's remembered ids survive its restarts, as a store on disk would.
  const seen = new MemorySeenIds();
  const handled = new Map<string, IncomingMessage>();
  const handleCount = new Map<string, number>();
  let failNext = false;
  let wireB = new Wire();
  const startReceiver = () => {
    wireB = new Wire();
    const ep = new Endpoint({
      gateway: wireB.asGateway(),
      identity: b,
      seen,
      maxHandleAttempts: 1_000,
      handler: async (m) => async () => {
        if (failNext) {
          failNext = false;
          throw new Error("injected failure before commit");
        }
        handled.set(m.id, m);
        handleCount.set(m.id, (handleCount.get(m.id) ?? 0) + 1);
      },
    });
    ep.peers.set(aId, a.boxPublicKey);
    wireB.onAck = (id) => {
      allAcks.add(id);
      // An ACK of an accepted frame only after its handling committed; of others, when dropped.
      if (sentById.has(id) && !handled.has(id) && !droppedIds.has(id))
        throw new Error(`ACK of ${id} before its handling committed`);
    };
    ep.on("dropped", (d) => droppedIds.add(d.id));
    return ep;
  };
  const sentById = new Map<string, { t: string; d: unknown; qos: 0 | 1 }>();
  const droppedIds = new Set<string>();
  const allAcks = new Set<string>();
  let receiver = startReceiver();
  /** The network: frames A sent, in flight; picked at random (reordering), maybe more than once. */
  const pool: FrameEvent[] = [];
  const ts = Date.now();
  const pickFrom = (pick: number) => (pool.length === 0 ? undefined : pool[pick % pool.length]);
  for (const act of actions) {
    switch (act.kind) {
      case "send": {
        const d = { n: act.n };
        const { id } = await sender.send(bId, "test.msg", d, act.qos);
        sentById.set(id, { t: "test.msg", d, qos: act.qos });
        const f = wireA.sent[wireA.sent.length - 1]!;
        pool.push({ id: f.id, from: aId, body: f.body ?? b64uEncode(f.envelope!), qos: f.qos, ts });
        break;
      }
      case "deliver":
      case "duplicate": {
        const f = pickFrom(act.pick);
        if (!f) break;
        if (act.kind === "deliver") pool.splice(pool.indexOf(f), 1);
        wireB.deliver(f);
        break;
      }
      case "drop": {
        const f = pickFrom(act.pick);
        if (f) pool.splice(pool.indexOf(f), 1);
        break;
      }
      case "tamper": {
        const f = pickFrom(act.pick);
        if (!f) break;
        const bytes = b64uDecode(f.body);
        bytes[act.byte % bytes.length] ^= 0x01;
        wireB.deliver({ ...f, id: f.id, body: b64uEncode(bytes) });
        break;
      }
      case "stranger": {
        const f = pickFrom(act.pick);
        if (f) wireB.deliver({ ...f, from: b64uEncode(generateIdentity().signPublicKey) });
        break;
      }
      case "failNext":
        failNext = true;
        break;
      case "restart":
        await receiver.idle();
        receiver.dispose();
        receiver = startReceiver();
        break;
      default: {
        const never: never = act;
        throw new Error(`unknown action ${String(never)}`);
      }
    }
    await receiver.idle();
  }
  // Whatever is still in flight arrives in the end (the relay redelivers qos 1 frames).
  for (const f of pool.splice(0)) wireB.deliver(f);
  await receiver.idle();

  for (const [id, m] of handled) {
    const sent = sentById.get(id);
    expect(sent, "handled a frame nobody sent").toBeDefined();
    expect({ t: m.t, d: m.d, from: m.from, qos: m.qos }).toEqual({ t: sent!.t, d: sent!.d, from: aId, qos: sent!.qos });
  }
  expect([...handleCount.values()].every((n) => n === 1)).toBe(true);
  // qos 1: ACKed once handled, and also when dropped (replay, tampering, stranger); qos 0: never ACKed.
  for (const id of handled.keys()) if (sentById.get(id)!.qos === 1) expect(allAcks.has(id)).toBe(true);
  for (const id of droppedIds) if (sentById.get(id)?.qos === 1) expect(allAcks.has(id)).toBe(true);
  for (const id of allAcks) expect(sentById.get(id)?.qos).toBe(1);
}

describe("Endpoint under an adversarial network (fuzz)", () => {
  it("handles each sent frame at most once, exactly as sent, and ACKs only after the commit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), (actions) => run(actions)),
      { seed: 160016, numRuns: 150, endOnFailure: true },
    );
  });

  it("a frame whose handling failed is handled when redelivered, and never twice", async () => {
    await run([
      { kind: "send", qos: 1, n: 1 },
      { kind: "failNext" },
      { kind: "duplicate", pick: 0 },
      { kind: "duplicate", pick: 0 },
      { kind: "restart" },
      { kind: "deliver", pick: 0 },
    ]);
  });
});
