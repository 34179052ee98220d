import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addDraft, draftsArray, readDrafts } from "./drafts";

describe("drafts document", () => {
  it("keeps concurrent drafts from two devices and skips entries that do not fit the schema", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addDraft(a, { id: "d1", command: "npm test", note: "before merging", created_at: 1 });
    addDraft(b, { id: "d2", command: "git status", note: "", created_at: 2 });
    const bad = new Y.Map<unknown>();
    bad.set("id", 42);
    draftsArray(b).push([bad]);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readDrafts(a)).toEqual(readDrafts(b));
    expect(
      readDrafts(a)
        .map((d) => d.id)
        .sort(),
    ).toEqual(["d1", "d2"]);
    expect(() => addDraft(a, { id: "", command: "x", note: "", created_at: 0 })).toThrow();
  });
});
