import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DocSyncError } from "./errors";
import { applyCheckedUpdate, checkUpdate } from "./update-check";

function sample(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("notes").insert(0, "hello, shared world");
  doc.getText("notes").delete(0, 7);
  return Y.encodeStateAsUpdate(doc);
}

describe("update check", () => {
  it("accepts a real update, and one whose dependencies are missing (Yjs keeps it pending)", () => {
    const a = new Y.Doc();
    const updates: Uint8Array[] = [];
    a.on("update", (u: Uint8Array) => updates.push(u));
    a.getText("notes").insert(0, "one");
    a.getText("notes").insert(3, " two");
    expect(() => checkUpdate(updates[0]!)).not.toThrow();
    const b = new Y.Doc();
    applyCheckedUpdate(b, updates[1]!, "peer"); // depends on updates[0]
    expect(b.getText("notes").toString()).toBe("");
    applyCheckedUpdate(b, updates[0]!, "peer");
    expect(b.getText("notes").toString()).toBe("one two");
  });

  it("refuses truncated updates and leaves the document as it was", () => {
    const update = sample();
    const doc = new Y.Doc();
    doc.getText("notes").insert(0, "mine");
    const before = Y.encodeStateAsUpdate(doc);
    let refused = 0;
    for (let cut = 1; cut < update.length; cut++) {
      try {
        applyCheckedUpdate(doc, update.subarray(0, cut), "peer");
      } catch (err) {
        expect(err).toBeInstanceOf(DocSyncError);
        expect((err as DocSyncError).code).toBe("bad_update");
        refused++;
        expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      }
    }
    // Most cuts are refused; the rest are shorter but well-formed updates.
    expect(refused).toBeGreaterThan(update.length / 2);
  });

  it("never crashes on random bytes", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 100; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 40) }, rand);
      try {
        checkUpdate(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(DocSyncError);
      }
    }
  });
});
