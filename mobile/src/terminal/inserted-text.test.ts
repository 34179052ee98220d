import { describe, expect, it } from "vitest";
import { typeInsertedText } from "./inserted-text";

/** An `input` event as the browser makes it (Node has no InputEvent). */
function inputEvent(fields: { inputType: string; data: string | null; isComposing?: boolean }): Event {
  const e = new Event("input", { cancelable: true });
  for (const [k, v] of Object.entries({ isComposing: false, ...fields })) Object.defineProperty(e, k, { value: v });
  return e;
}

describe("typeInsertedText", () => {
  it("types inserted text with no key down, and leaves key presses, compositions and handled events alone", () => {
    const textarea = new EventTarget();
    const typed: string[] = [];
    const stop = typeInsertedText(textarea, (t) => typed.push(t));
    // An emoji or a suggested word: an input event alone.
    textarea.dispatchEvent(inputEvent({ inputType: "insertText", data: "naïve😀" }));
    // Android's key: keydown (229), input, keyup; xterm's composition helper types it.
    textarea.dispatchEvent(new Event("keydown"));
    textarea.dispatchEvent(inputEvent({ inputType: "insertText", data: "a" }));
    textarea.dispatchEvent(new Event("keyup"));
    // A composition's updates and commit: the helper types the commit.
    textarea.dispatchEvent(inputEvent({ inputType: "insertCompositionText", data: "日本" }));
    textarea.dispatchEvent(inputEvent({ inputType: "insertText", data: "日本", isComposing: true }));
    // Deletions and empty data are not text.
    textarea.dispatchEvent(inputEvent({ inputType: "deleteContentBackward", data: null }));
    textarea.dispatchEvent(inputEvent({ inputType: "insertText", data: "" }));
    // Handled by xterm (its screen reader mode off): cancelled, not typed twice.
    const handled = inputEvent({ inputType: "insertText", data: "x" });
    handled.preventDefault();
    textarea.dispatchEvent(handled);
    // A key held when focus left does not block the next insertion.
    textarea.dispatchEvent(new Event("keydown"));
    textarea.dispatchEvent(new Event("blur"));
    textarea.dispatchEvent(inputEvent({ inputType: "insertText", data: "é" }));
    stop();
    textarea.dispatchEvent(inputEvent({ inputType: "insertText", data: "after stop" }));
    expect(typed).toEqual(["naïve😀", "é"]);
  });
});
