/**
 * The extra-keys row under the phone's terminal, as data and pure functions
 * (no DOM): which keys there are, the bytes each sends the way xterm would,
 * and the sticky Ctrl/Alt modifiers a phone keyboard lacks.
 *
 * Bytes follow xterm's defaults (ctlseqs "PC-Style Function Keys"): arrows
 * and Home/End are `CSI x` in normal cursor mode and `SS3 x` in application
 * cursor mode (DECCKM, which full-screen programs such as vim and less turn
 * on); with a modifier they become `CSI 1 ; m x`. F1–F4 are `SS3 P..S`,
 * F5–F12 `CSI n ~`; a modifier adds `; m`. `m` is 1 + (Shift 1, Alt 2, Ctrl 4).
 */

export type Modifier = "ctrl" | "alt";

/** off: not applied; once: applies to the next key, then off; locked: applies until tapped off. */
export type ModifierLatch = "off" | "once" | "locked";

export interface Modifiers {
  ctrl: ModifierLatch;
  alt: ModifierLatch;
}

export const NO_MODIFIERS: Modifiers = Object.freeze({ ctrl: "off", alt: "off" });

/** A tap on Ctrl or Alt: off → once → locked → off ("tap twice to lock"). */
export function tapModifier(mods: Modifiers, which: Modifier): Modifiers {
  const next: Record<ModifierLatch, ModifierLatch> = { off: "once", once: "locked", locked: "off" };
  return { ...mods, [which]: next[mods[which]] };
}

/** After a key was sent with the modifiers: one-shot modifiers are spent, locked ones stay. */
export function releaseOnce(mods: Modifiers): Modifiers {
  return { ctrl: mods.ctrl === "once" ? "off" : mods.ctrl, alt: mods.alt === "once" ? "off" : mods.alt };
}

export function anyModifier(mods: Modifiers): boolean {
  return mods.ctrl !== "off" || mods.alt !== "off";
}

/** A special key: the final byte of its sequence and which form it takes. */
type Special =
  | { form: "cursor"; final: string } // arrows, Home, End: CSI/SS3 final, modifiers as CSI 1;m final
  | { form: "ss3"; final: string } // F1–F4: SS3 final, modifiers as CSI 1;m final
  | { form: "tilde"; code: number }; // PgUp, PgDn, F5–F12: CSI code ~, modifiers as CSI code;m ~

const SPECIALS = {
  up: { form: "cursor", final: "A" },
  down: { form: "cursor", final: "B" },
  right: { form: "cursor", final: "C" },
  left: { form: "cursor", final: "D" },
  home: { form: "cursor", final: "H" },
  end: { form: "cursor", final: "F" },
  pageUp: { form: "tilde", code: 5 },
  pageDown: { form: "tilde", code: 6 },
  f1: { form: "ss3", final: "P" },
  f2: { form: "ss3", final: "Q" },
  f3: { form: "ss3", final: "R" },
  f4: { form: "ss3", final: "S" },
  f5: { form: "tilde", code: 15 },
  f6: { form: "tilde", code: 17 },
  f7: { form: "tilde", code: 18 },
  f8: { form: "tilde", code: 19 },
  f9: { form: "tilde", code: 20 },
  f10: { form: "tilde", code: 21 },
  f11: { form: "tilde", code: 23 },
  f12: { form: "tilde", code: 24 },
} as const satisfies Record<string, Special>;

export type SpecialKey = keyof typeof SPECIALS;

/** What the terminal is in when a key is pressed (xterm.js `terminal.modes`). */
export interface KeyContext {
  applicationCursor: boolean;
}

function modifierParam(mods: Modifiers): number {
  return 1 + (mods.alt !== "off" ? 2 : 0) + (mods.ctrl !== "off" ? 4 : 0);
}

/** The bytes of a special key under the modifiers and cursor mode, as xterm sends them. */
export function specialKeyBytes(key: SpecialKey, mods: Modifiers, ctx: KeyContext): string {
  const k: Special = SPECIALS[key];
  const m = modifierParam(mods);
  switch (k.form) {
    case "cursor":
      if (m > 1) return `\x1b[1;${m}${k.final}`;
      return ctx.applicationCursor ? `\x1bO${k.final}` : `\x1b[${k.final}`;
    case "ss3":
      return m > 1 ? `\x1b[1;${m}${k.final}` : `\x1bO${k.final}`;
    case "tilde":
      return m > 1 ? `\x1b[${k.code};${m}~` : `\x1b[${k.code}~`;
    default: {
      const never: never = k;
      return String(never);
    }
  }
}

/**
 * Ctrl applied to one typed character, as a terminal keyboard sends it:
 * letters and `@[\]^_` map to 0x00–0x1f, space to NUL, `?` to DEL, digits
 * 2–8 to their VT220 control codes. Anything else is sent unchanged.
 */
export function ctrlOf(ch: string): string {
  if (ch.length !== 1) return ch;
  const c = ch.toUpperCase().charCodeAt(0);
  if (c >= 0x40 && c <= 0x5f) return String.fromCharCode(c - 0x40); // @ A-Z [ \ ] ^ _
  if (ch === " " || ch === "2") return "\x00";
  if (ch === "?" || ch === "8") return "\x7f";
  const digits: Record<string, string> = {
    "3": "\x1b",
    "4": "\x1c",
    "5": "\x1d",
    "6": "\x1e",
    "7": "\x1f",
    "/": "\x1f",
    "-": "\x1f",
    "~": "\x1e",
  };
  return digits[ch] ?? ch;
}

/**
 * Typed text under the sticky modifiers. A modifier applies to a single
 * character (what one key of the soft keyboard sends); longer input (a
 * suggestion, a swipe word, a paste) goes through unchanged, as the
 * modifier could not mean anything for it. Alt prefixes ESC (xterm's
 * `metaSendsEscape`).
 */
export function applyModifiers(data: string, mods: Modifiers): { data: string; used: boolean } {
  if (!anyModifier(mods) || [...data].length !== 1) return { data, used: false };
  let out = mods.ctrl !== "off" ? ctrlOf(data) : data;
  if (mods.alt !== "off") out = `\x1b${out}`;
  return { data: out, used: true };
}

/** One button of the row. */
export type ExtraKey =
  | { kind: "modifier"; label: string; name: string; which: Modifier }
  | { kind: "special"; label: string; name: string; key: SpecialKey }
  | { kind: "text"; label: string; name: string; data: string }
  | { kind: "page"; label: string; name: string; page: number };

const text = (label: string, name: string, data = label): ExtraKey => ({ kind: "text", label, name, data });
const special = (label: string, name: string, key: SpecialKey): ExtraKey => ({ kind: "special", label, name, key });

/** Page 0: the keys used all the time; page 1: function keys and the rarer navigation keys. */
export const EXTRA_KEY_PAGES: readonly (readonly ExtraKey[])[] = [
  [
    // Two rows of nine on a phone: modifiers and symbols first, navigation second.
    text("Esc", "Escape", "\x1b"),
    { kind: "modifier", label: "Ctrl", name: "Control (sticky: tap twice to lock)", which: "ctrl" },
    { kind: "modifier", label: "Alt", name: "Alt (sticky: tap twice to lock)", which: "alt" },
    text("Tab", "Tab", "\t"),
    text("^C", "Control C (interrupt)", "\x03"),
    text("|", "Pipe"),
    text("~", "Tilde"),
    text("/", "Slash"),
    text("-", "Dash"),
    special("Home", "Home", "home"),
    special("End", "End", "end"),
    special("PgUp", "Page up", "pageUp"),
    special("PgDn", "Page down", "pageDown"),
    special("←", "Left arrow", "left"),
    special("↑", "Up arrow", "up"),
    special("↓", "Down arrow", "down"),
    special("→", "Right arrow", "right"),
    { kind: "page", label: "Fn", name: "Function keys", page: 1 },
  ],
  [
    { kind: "page", label: "abc", name: "Back to the main keys", page: 0 },
    { kind: "modifier", label: "Ctrl", name: "Control (sticky: tap twice to lock)", which: "ctrl" },
    { kind: "modifier", label: "Alt", name: "Alt (sticky: tap twice to lock)", which: "alt" },
    ...Array.from({ length: 12 }, (_, i) => special(`F${i + 1}`, `F${i + 1}`, `f${i + 1}` as SpecialKey)),
  ],
];

/**
 * The bytes one tap of a button sends, and the modifiers after it, or null
 * for a button that sends nothing (a modifier or a page switch).
 */
export function pressExtraKey(
  key: ExtraKey,
  mods: Modifiers,
  ctx: KeyContext,
): { data: string; mods: Modifiers } | null {
  switch (key.kind) {
    case "modifier":
    case "page":
      return null;
    case "special":
      return { data: specialKeyBytes(key.key, mods, ctx), mods: releaseOnce(mods) };
    case "text": {
      const applied = applyModifiers(key.data, mods);
      return { data: applied.data, mods: applied.used ? releaseOnce(mods) : mods };
    }
    default: {
      const never: never = key;
      return never;
    }
  }
}
