import { useRef, useState } from "react";
import { writeClipboard } from "../../terminal/clipboard";

interface Props {
  /** The terminal's text (the newest lines), taken when the view opened. */
  text: string;
  onClose(): void;
}

/**
 * Copy by selection on a touch screen. xterm.js draws on a canvas-like grid
 * a finger cannot select from, so the terminal's text is shown here as plain
 * text: select part of it the usual way (long-press, drag the handles) and
 * tap "Copy selection", or copy it all.
 */
export function TerminalCopyView({ text, onClose }: Props) {
  const pre = useRef<HTMLPreElement>(null);
  const [said, setSaid] = useState<string | null>(null);
  const copy = async (all: boolean) => {
    const sel = window.getSelection();
    const inside =
      sel && pre.current && sel.rangeCount > 0 && pre.current.contains(sel.getRangeAt(0).commonAncestorContainer);
    const chosen = all ? text : inside ? sel.toString() : "";
    if (chosen === "") return setSaid("Select some text first (long-press it), or copy all.");
    setSaid(
      (await writeClipboard(chosen))
        ? `Copied ${chosen.length.toLocaleString()} characters.`
        : "This browser refused to copy.",
    );
  };
  return (
    <div className="terminal-panel" role="dialog" aria-label="Select text to copy">
      <pre ref={pre} className="terminal-copy-text" data-testid="terminal-copy-text">
        {text}
      </pre>
      <div className="row">
        <button
          type="button"
          className="primary"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => void copy(false)}
        >
          Copy selection
        </button>
        <button type="button" onClick={() => void copy(true)}>
          Copy all
        </button>
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
      {said && (
        <p className="muted" role="status">
          {said}
        </p>
      )}
    </div>
  );
}
