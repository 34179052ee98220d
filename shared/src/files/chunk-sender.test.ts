import { describe, expect, it } from "vitest";
import { ChunkReceiver } from "./chunk-receiver";
import { ChunkSender } from "./chunk-sender";

/** A manual timer queue: stalls fire only when the test says so (no wall clock). */
function timers() {
  const pending = new Set<{ fn: () => void }>();
  return {
    set: (fn: () => void) => {
      const t = { fn };
      pending.add(t);
      return t;
    },
    clear: (t: unknown) => pending.delete(t as { fn: () => void }),
    fireAll: () => {
      for (const t of [...pending]) {
        pending.delete(t);
        t.fn();
      }
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("ChunkSender with ChunkReceiver", () => {
  const data = Uint8Array.from({ length: 100 }, (_, i) => i);
  const read = async (o: number, n: number) => data.subarray(o, o + n);

  it("keeps at most one window unacknowledged, and finishes when all is acked", async () => {
    const sent: number[] = [];
    const t = timers();
    const s = new ChunkSender({
      size: 100,
      start: 0,
      chunkBytes: 10,
      windowBytes: 30,
      stallMs: 1,
      read,
      send: async (o) => (sent.push(o), true),
      setTimer: t.set,
      clearTimer: t.clear,
    });
    const done = s.run();
    await flush();
    expect(sent).toEqual([0, 10, 20]);
    s.ack(20);
    await flush();
    expect(sent).toEqual([0, 10, 20, 30, 40]);
    s.ack(100);
    await done;
    expect(s.ackedBytes).toBe(100);
  });

  it("goes back only on a resend request, and the receiver keeps bytes in order despite a lost chunk", async () => {
    const r = new ChunkReceiver("x", 100, 0, 20);
    const got: number[] = [];
    const t = timers();
    let drop = true;
    const s: ChunkSender = new ChunkSender({
      size: 100,
      start: 0,
      chunkBytes: 10,
      windowBytes: 40,
      stallMs: 1,
      read,
      setTimer: t.set,
      clearTimer: t.clear,
      send: async (o, d) => {
        if (o === 10 && drop) {
          drop = false; // lost on the way, once
          return true;
        }
        const v = r.offer(o, d.length);
        if (v.kind === "accept") {
          got.push(...d);
          const ack = r.kept(d.length);
          if (ack) queueMicrotask(() => s.ack(ack.received));
        } else if (v.kind === "gap" && v.ack) queueMicrotask(() => s.ack(v.ack!.received, true));
        return true;
      },
    });
    await s.run();
    expect(got).toEqual([...data]);
  });

  it("after a stall asks the receiver where it stands and goes on from there", async () => {
    const sent: number[] = [];
    const t = timers();
    const s = new ChunkSender({
      size: 50,
      start: 0,
      chunkBytes: 10,
      windowBytes: 20,
      stallMs: 1,
      read,
      setTimer: t.set,
      clearTimer: t.clear,
      send: async (o) => (sent.push(o), true),
      recover: async () => 10,
    });
    const done = s.run();
    await flush();
    expect(sent).toEqual([0, 10]);
    t.fireAll(); // nothing acked: a stall
    await flush();
    expect(sent).toEqual([0, 10, 10, 20]);
    s.ack(50);
    await done;
  });
});
