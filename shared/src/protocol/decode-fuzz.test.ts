/**
 * The gateway decoder against random and mutated messages (fast-check,
 * seeded and bounded): it never throws, and every input is either a client
 * message or earns 4001/4002 by the rules of docs/protocol.md section 2.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyText, validMessage } from "../../../faults/support/fuzz-messages";
import { decodeClientMessage, decodeRelayMessage } from "./decode";
import { CLIENT_OPS } from "./ops";

const SEED = 16;
const RUNS = 3000;

function opOf(text: string): unknown {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as { op?: unknown }).op
      : Symbol("not an object");
  } catch {
    return Symbol("not json");
  }
}

describe("decodeClientMessage under fuzzing", () => {
  it("decodes every well-formed message of every client op, and re-decodes its own output the same", () => {
    fc.assert(
      fc.property(validMessage, (m) => {
        const r = decodeClientMessage(JSON.stringify(m));
        expect(r.ok).toBe(true);
        if (r.ok) expect(decodeClientMessage(JSON.stringify(r.message))).toEqual(r);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("never throws; anything else earns 4002, or 4001 for an integer op that is not a client op", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = decodeClientMessage(text);
        if (r.ok) {
          expect(CLIENT_OPS.has(r.message.op)).toBe(true);
          return;
        }
        const op = opOf(text);
        const integerOp = typeof op === "number" && Number.isInteger(op);
        expect(r.closeCode).toBe(integerOp && !CLIENT_OPS.has(op) ? 4001 : 4002);
        expect(r.reason.length).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("the client-side decoder never throws either", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = decodeRelayMessage(text);
        if (!r.ok) expect([4001, 4002]).toContain(r.closeCode);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
