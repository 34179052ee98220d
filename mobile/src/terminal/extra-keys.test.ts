import { describe, expect, it } from "vitest";
import {
  applyModifiers,
  ctrlOf,
  EXTRA_KEY_PAGES,
  NO_MODIFIERS,
  pressExtraKey,
  releaseOnce,
  specialKeyBytes,
  tapModifier,
  type ExtraKey,
  type Modifiers,
} from "./extra-keys";

const normal = { applicationCursor: false };
const app = { applicationCursor: true };
const ctrlOnce: Modifiers = { ctrl: "once", alt: "off" };

function key(label: string, page = 0): ExtraKey {
  const k = EXTRA_KEY_PAGES[page]!.find((x) => x.label === label);
  if (!k) throw new Error(`no key ${label}`);
  return k;
}

describe("sticky modifiers", () => {
  it("one tap arms a modifier for one key, a second tap locks it, a third releases it", () => {
    let m = tapModifier(NO_MODIFIERS, "ctrl");
    expect(m).toEqual({ ctrl: "once", alt: "off" });
    expect(applyModifiers("c", m)).toEqual({ data: "\x03", used: true });
    expect(releaseOnce(m)).toEqual(NO_MODIFIERS);
    m = tapModifier(m, "ctrl");
    expect(m.ctrl).toBe("locked");
    expect(releaseOnce(m).ctrl).toBe("locked");
    expect(tapModifier(m, "ctrl").ctrl).toBe("off");
  });

  it("maps a typed letter to its control code, in either case", () => {
    expect(ctrlOf("c")).toBe("\x03");
    expect(ctrlOf("C")).toBe("\x03");
    expect(ctrlOf("a")).toBe("\x01");
    expect(ctrlOf("z")).toBe("\x1a");
    expect(ctrlOf("[")).toBe("\x1b");
    expect(ctrlOf("@")).toBe("\x00");
    expect(ctrlOf(" ")).toBe("\x00");
    expect(ctrlOf("?")).toBe("\x7f");
    expect(ctrlOf("é")).toBe("é");
  });

  it("Alt prefixes ESC; Ctrl+Alt combine", () => {
    expect(applyModifiers("b", { ctrl: "off", alt: "once" }).data).toBe("\x1bb");
    expect(applyModifiers("x", { ctrl: "once", alt: "locked" }).data).toBe("\x1b\x18");
  });

  it("leaves multi-character input (a suggestion, a paste) and unmodified input alone", () => {
    expect(applyModifiers("hello", ctrlOnce)).toEqual({ data: "hello", used: false });
    expect(applyModifiers("c", NO_MODIFIERS)).toEqual({ data: "c", used: false });
    // One emoji is one key even though it is two UTF-16 units.
    expect(applyModifiers("🚀", { ctrl: "off", alt: "once" }).data).toBe("\x1b🚀");
  });
});

describe("special keys as xterm sends them", () => {
  it("arrows and Home/End follow the application cursor mode", () => {
    expect(specialKeyBytes("up", NO_MODIFIERS, normal)).toBe("\x1b[A");
    expect(specialKeyBytes("up", NO_MODIFIERS, app)).toBe("\x1bOA");
    expect(specialKeyBytes("left", NO_MODIFIERS, app)).toBe("\x1bOD");
    expect(specialKeyBytes("home", NO_MODIFIERS, normal)).toBe("\x1b[H");
    expect(specialKeyBytes("end", NO_MODIFIERS, app)).toBe("\x1bOF");
  });

  it("a modifier turns them into CSI 1;m in either mode", () => {
    expect(specialKeyBytes("right", ctrlOnce, app)).toBe("\x1b[1;5C");
    expect(specialKeyBytes("left", { ctrl: "off", alt: "once" }, normal)).toBe("\x1b[1;3D");
    expect(specialKeyBytes("up", { ctrl: "locked", alt: "once" }, normal)).toBe("\x1b[1;7A");
  });

  it("page keys and F1–F12 use xterm's codes", () => {
    expect(specialKeyBytes("pageUp", NO_MODIFIERS, normal)).toBe("\x1b[5~");
    expect(specialKeyBytes("pageDown", NO_MODIFIERS, app)).toBe("\x1b[6~");
    const f = EXTRA_KEY_PAGES[1]!
      .filter((k) => /^F\d+$/.test(k.label))
      .map((k) => pressExtraKey(k, NO_MODIFIERS, normal)?.data);
    expect(f).toEqual([
      "\x1bOP",
      "\x1bOQ",
      "\x1bOR",
      "\x1bOS",
      "\x1b[15~",
      "\x1b[17~",
      "\x1b[18~",
      "\x1b[19~",
      "\x1b[20~",
      "\x1b[21~",
      "\x1b[23~",
      "\x1b[24~",
    ]);
    expect(specialKeyBytes("f1", ctrlOnce, normal)).toBe("\x1b[1;5P");
    expect(specialKeyBytes("f5", ctrlOnce, normal)).toBe("\x1b[15;5~");
    expect(specialKeyBytes("pageUp", { ctrl: "off", alt: "once" }, normal)).toBe("\x1b[5;3~");
  });
});

describe("pressing a button of the row", () => {
  it("spends a one-shot modifier, keeps a locked one, and sends nothing for Ctrl or a page switch", () => {
    expect(pressExtraKey(key("Ctrl"), NO_MODIFIERS, normal)).toBeNull();
    expect(pressExtraKey(key("Fn"), NO_MODIFIERS, normal)).toBeNull();
    expect(pressExtraKey(key("↑"), ctrlOnce, normal)).toEqual({ data: "\x1b[1;5A", mods: NO_MODIFIERS });
    const locked: Modifiers = { ctrl: "locked", alt: "off" };
    expect(pressExtraKey(key("PgDn"), locked, normal)).toEqual({ data: "\x1b[6;5~", mods: locked });
  });

  it("sends the symbol keys as typed, and Ctrl applies to them", () => {
    expect(["|", "~", "/", "-"].map((l) => pressExtraKey(key(l), NO_MODIFIERS, normal)?.data)).toEqual([
      "|",
      "~",
      "/",
      "-",
    ]);
    expect(pressExtraKey(key("-"), ctrlOnce, normal)).toEqual({ data: "\x1f", mods: NO_MODIFIERS });
  });

  it("has every key the issue asks for, with a readable name", () => {
    const labels = EXTRA_KEY_PAGES.flat().map((k) => k.label);
    for (const l of [
      "Esc",
      "Tab",
      "^C",
      "Ctrl",
      "Alt",
      "↑",
      "↓",
      "←",
      "→",
      "Home",
      "End",
      "PgUp",
      "PgDn",
      "|",
      "~",
      "/",
      "-",
      "F1",
      "F12",
    ])
      expect(labels).toContain(l);
    for (const k of EXTRA_KEY_PAGES.flat()) expect(k.name.length).toBeGreaterThan(1);
  });
});
