import { useState } from "react";

interface Props {
  onPaste(text: string): void;
  onClose(): void;
}

/**
 * Where a person pastes when the page may not read the clipboard (plain
 * http on a LAN address, or permission refused): a text box to long-press
 * and paste into, then Send puts it into the shell as one paste.
 */
export function TerminalPasteBox({ onPaste, onClose }: Props) {
  const [text, setText] = useState("");
  return (
    <form
      className="terminal-panel"
      aria-label="Paste into the terminal"
      onSubmit={(e) => {
        e.preventDefault();
        if (text !== "") onPaste(text);
        onClose();
      }}
    >
      <label htmlFor="terminal-paste">
        This page cannot read the clipboard: paste here (long-press, Paste), then Send.
      </label>
      <textarea
        id="terminal-paste"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoFocus
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
      />
      <div className="row">
        <button type="submit" className="primary" disabled={text === ""}>
          Send to shell
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
