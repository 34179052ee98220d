interface Props {
  fontSize: number;
  /** While the shell is not open (it exited), only the font and copy buttons work. */
  disabled: boolean;
  onFont(direction: 1 | -1): void;
  onPaste(): void;
  onCopy(): void;
  onReconnect(): void;
}

/**
 * The terminal's tools above the screen: text size (kept on this phone),
 * paste, copy by selection, and reconnect (refetches the screen with
 * `term.snapshot`: the same shell and processes, redrawn).
 */
export function TerminalTools({ fontSize, disabled, onFont, onPaste, onCopy, onReconnect }: Props) {
  const keepKeyboard = (e: { preventDefault(): void }) => e.preventDefault();
  return (
    <div className="row terminal-tools" role="toolbar" aria-label="Terminal tools">
      <button
        type="button"
        className="font-step"
        aria-label={`Smaller text (now ${fontSize} px)`}
        onMouseDown={keepKeyboard}
        onClick={() => onFont(-1)}
      >
        A−
      </button>
      <button
        type="button"
        className="font-step"
        aria-label={`Larger text (now ${fontSize} px)`}
        onMouseDown={keepKeyboard}
        onClick={() => onFont(1)}
      >
        A+
      </button>
      <button type="button" disabled={disabled} onClick={onPaste}>
        Paste
      </button>
      <button type="button" onClick={onCopy}>
        Copy
      </button>
      <button
        type="button"
        disabled={disabled}
        aria-label="Reconnect: redraw this shell from the desktop"
        onClick={onReconnect}
      >
        Reconnect
      </button>
    </div>
  );
}
