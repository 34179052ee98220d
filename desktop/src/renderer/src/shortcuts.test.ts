import { describe, expect, it } from "vitest";
import { shortcutFor } from "./shortcuts";

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("shortcutFor", () => {
  it("maps Ctrl+1..8 to sections on Linux/Windows and Cmd on macOS", () => {
    expect(shortcutFor(key("1", { ctrlKey: true }), false, false)).toEqual({ kind: "section", section: "pairing" });
    expect(shortcutFor(key("7", { ctrlKey: true }), true, false)).toEqual({ kind: "section", section: "settings" });
    expect(shortcutFor(key("3", { metaKey: true }), false, true)).toEqual({ kind: "section", section: "messages" });
    expect(shortcutFor(key("3", { ctrlKey: true }), false, true)).toBeNull();
    expect(shortcutFor(key("8", { ctrlKey: true }), true, false)).toEqual({ kind: "section", section: "notes" });
    expect(shortcutFor(key("8", { metaKey: true }), false, true)).toEqual({ kind: "section", section: "notes" });
    expect(shortcutFor(key("9", { ctrlKey: true }), false, false)).toBeNull();
  });
  it("maps Ctrl+K to search, Ctrl+Shift+L to theme", () => {
    expect(shortcutFor(key("k", { ctrlKey: true }), true, false)).toEqual({ kind: "search" });
    expect(shortcutFor(key("L", { ctrlKey: true, shiftKey: true }), false, false)).toEqual({ kind: "theme" });
  });
  it("opens help with ? only outside text fields, and with F1 anywhere", () => {
    expect(shortcutFor(key("?", { shiftKey: true }), false, false)).toEqual({ kind: "help" });
    expect(shortcutFor(key("?", { shiftKey: true }), true, false)).toBeNull();
    expect(shortcutFor(key("F1"), true, false)).toEqual({ kind: "help" });
  });
});
