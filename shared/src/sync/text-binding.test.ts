import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { applyTextValue, diffText } from "./text-binding";

describe("textarea binding", () => {
  it("finds the single change of an input event", () => {
    expect(diffText("hello", "hello")).toBeNull();
    expect(diffText("hello", "help!")).toEqual({ index: 3, remove: 2, insert: "p!" });
    expect(diffText("", "abc")).toEqual({ index: 0, remove: 0, insert: "abc" });
    expect(diffText("abc", "")).toEqual({ index: 0, remove: 3, insert: "" });
    expect(diffText("aaa", "aaaa")).toEqual({ index: 3, remove: 0, insert: "a" });
    expect(diffText("abcabc", "abc")).toEqual({ index: 3, remove: 3, insert: "" });
  });

  it("never splits a surrogate pair", () => {
    // Two emoji sharing their high surrogate: a naive prefix would cut between the halves.
    const change = diffText("x\u{1F600}y", "x\u{1F601}y")!;
    expect(change).toEqual({ index: 1, remove: 2, insert: "\u{1F601}" });
    const c2 = diffText("\u{1F600}", "a\u{1F600}")!;
    expect(c2.insert).toBe("a");
  });

  it("applies a textarea value as Y.Text ops in one transaction", () => {
    const doc = new Y.Doc();
    const text = doc.getText("notes");
    text.insert(0, "the quick fox");
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    applyTextValue(text, "the quick brown fox!", "local");
    expect(text.toString()).toBe("the quick brown fox!");
    expect(updates).toHaveLength(1);
    expect(applyTextValue(text, "the quick brown fox!", "local")).toBeNull();
  });
});
