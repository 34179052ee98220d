/** The parts of an `input` event this module reads (an InputEvent in the browser). */
interface InsertEvent extends Event {
  inputType?: string;
  data?: string | null;
  isComposing?: boolean;
}

/**
 * Text a phone keyboard inserts without a key press: an emoji, a suggested or dictated word, a letter the layout
 * lacks. It arrives as one `input` event of type insertText. xterm.js types such text in only while its screen
 * reader mode is off (xterm.js issue 3679); the phone keeps that mode on for its accessibility tree, so without this
 * the text was lost. Handed to `type` (the terminal's `input`, so it goes out through `onData` like any keystroke)
 * under the condition xterm.js itself uses: no key is down, since a key press is typed by xterm's key handlers and
 * an Android key (keyCode 229) by its composition helper, and no composition is open (its end is typed by the
 * helper). An event xterm did handle (cancelled) is left alone. Returns a function that stops listening.
 */
export function typeInsertedText(textarea: EventTarget, type: (text: string) => void): () => void {
  let keyDown = false;
  const down = () => (keyDown = true);
  const up = () => (keyDown = false);
  const input = (e: Event) => {
    const ev = e as InsertEvent;
    if (ev.inputType !== "insertText" || !ev.data || ev.isComposing || keyDown || ev.defaultPrevented) return;
    type(ev.data);
  };
  // Capture, as xterm.js listens: the key's state is known before any handler of the textarea runs.
  textarea.addEventListener("keydown", down, true);
  textarea.addEventListener("keyup", up, true);
  textarea.addEventListener("blur", up, true);
  textarea.addEventListener("input", input);
  return () => {
    textarea.removeEventListener("keydown", down, true);
    textarea.removeEventListener("keyup", up, true);
    textarea.removeEventListener("blur", up, true);
    textarea.removeEventListener("input", input);
  };
}
