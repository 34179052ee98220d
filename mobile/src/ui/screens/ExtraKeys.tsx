import { useState } from "react";
import {
  EXTRA_KEY_PAGES,
  pressExtraKey,
  tapModifier,
  type ExtraKey,
  type KeyContext,
  type Modifiers,
} from "../../terminal/extra-keys";

interface Props {
  mods: Modifiers;
  onMods(mods: Modifiers): void;
  /** Sends bytes to the shell. */
  onSend(data: string): void;
  /** The terminal's modes at the moment of the tap (application cursor keys). */
  context(): KeyContext;
  disabled: boolean;
}

const LATCH_WORDS = { off: "", once: "next key", locked: "locked" } as const;

/**
 * The keys a phone keyboard lacks, in two pages (main keys; F1–F12). Ctrl
 * and Alt are sticky: one tap applies them to the next key, typed here or on
 * the soft keyboard; a second tap locks them; a third releases them. Their
 * state shows on the button (aria-pressed, and "next key"/"locked" under the label).
 */
export function ExtraKeys({ mods, onMods, onSend, context, disabled }: Props) {
  const [page, setPage] = useState(0);
  const keys = EXTRA_KEY_PAGES[page] ?? EXTRA_KEY_PAGES[0]!;
  const tap = (k: ExtraKey) => {
    if (k.kind === "modifier") return onMods(tapModifier(mods, k.which));
    if (k.kind === "page") return setPage(k.page);
    const pressed = pressExtraKey(k, mods, context());
    if (!pressed) return;
    onSend(pressed.data);
    onMods(pressed.mods);
  };
  return (
    <div
      className="row extra-keys"
      role="toolbar"
      aria-label={page === 0 ? "Extra keys" : "Function keys"}
      data-page={page}
    >
      {keys.map((k) => {
        const latch = k.kind === "modifier" ? mods[k.which] : null;
        return (
          <button
            key={`${page}-${k.label}`}
            type="button"
            aria-label={k.name}
            aria-pressed={latch === null ? undefined : latch !== "off"}
            className={
              [
                latch ? `modifier latch-${latch}` : "",
                k.kind === "page" ? "page-key" : "",
                k.kind !== "modifier" && k.label.length > 3 ? "long-label" : "",
              ]
                .filter(Boolean)
                .join(" ") || undefined
            }
            disabled={disabled && k.kind !== "page"}
            // Keeps the soft keyboard up: a button taking focus would close it after every key.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => tap(k)}
          >
            {k.label}
            {latch && latch !== "off" && <span className="latch">{LATCH_WORDS[latch]}</span>}
          </button>
        );
      })}
    </div>
  );
}
