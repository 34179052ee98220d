import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decodeSyncMessage, encodeStep1, encodeStep2, encodeUpdateMessage } from "./codec";

describe("sync message codec", () => {
  it("round-trips the three y-protocols message types", () => {
    const doc = new Y.Doc();
    doc.getText("notes").insert(0, "abc");
    expect(decodeSyncMessage(encodeStep1(doc))).toEqual({ kind: "step1", stateVector: Y.encodeStateVector(doc) });
    expect(decodeSyncMessage(encodeStep2(doc))).toEqual({ kind: "step2", update: Y.encodeStateAsUpdate(doc) });
    const u = Y.encodeStateAsUpdate(doc);
    expect(decodeSyncMessage(encodeUpdateMessage(u))).toEqual({ kind: "update", update: u });
  });

  it("refuses unknown types, truncation and trailing bytes", () => {
    const code = (bytes: number[]) => {
      try {
        decodeSyncMessage(new Uint8Array(bytes));
        return "ok";
      } catch (err) {
        return `${(err as { code?: string }).code}: ${(err as Error).message}`;
      }
    };
    expect(code([3, 0])).toMatch(/^bad_message: unknown sync message type 3/);
    expect(code([2, 5, 1, 2])).toMatch(/^bad_message: .*truncated/);
    expect(code([])).toMatch(/^bad_message: .*truncated/);
    expect(code([2, 1, 1, 9])).toMatch(/^bad_message: .*trailing/);
    expect(code([0, 0])).toBe("ok");
  });

  it("refuses a length that runs past the end of a view into a larger buffer", () => {
    const backing = new Uint8Array(64);
    const view = backing.subarray(0, 3);
    view.set([2, 40, 1]);
    expect(() => decodeSyncMessage(view)).toThrow(/truncated/);
  });
});
