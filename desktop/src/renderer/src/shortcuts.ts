import { SECTIONS, type Section } from "./sections";

export type ShortcutAction =
  { kind: "section"; section: Section } | { kind: "search" } | { kind: "help" } | { kind: "theme" };

/** What the help overlay lists; `mod` is Ctrl, or Cmd on macOS. */
export const SHORTCUT_HELP: { keys: string; what: string }[] = [
  {
    keys: "mod+1 … mod+8",
    what: "Go to a section (Pair, Devices, Messages, Tasks, Terminals, Audit, Settings, Notes)",
  },
  { keys: "mod+K", what: "Search messages" },
  { keys: "mod+Shift+L", what: "Switch light / dark theme" },
  { keys: "? or F1", what: "Show or hide this help" },
  { keys: "Esc", what: "Close a dialog" },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * Maps a key press to an app action, or null. Plain keys (like `?`) only
 * count outside text fields, so typing a question mark stays typing.
 */
export function shortcutFor(e: KeyLike, inTextField: boolean, isMac: boolean): ShortcutAction | null {
  const mod = isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (mod && !e.altKey) {
    if (!e.shiftKey && /^[1-8]$/.test(e.key))
      return { kind: "section", section: SECTIONS[Number(e.key) - 1] as Section };
    if (!e.shiftKey && e.key.toLowerCase() === "k") return { kind: "search" };
    if (e.shiftKey && e.key.toLowerCase() === "l") return { kind: "theme" };
    return null;
  }
  if (e.key === "F1") return { kind: "help" };
  if (!inTextField && e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey) return { kind: "help" };
  return null;
}
