import { describe, expect, it } from "vitest";
import type { TermSizePush } from "@neural-link/shared/app";
import { ScriptedHub } from "../../test/scripted-hub";
import { TerminalSession } from "./terminal-session";

const screen = { reset: () => undefined, write: () => undefined };

/**
 * A hub that holds the size for whoever typed last, as the real one does (docs/protocol.md section 11, "Terminal
 * size").
 */
function hub() {
  let size = { cols: 80, rows: 24, by: "phone-1" };
  return new ScriptedHub()
    .on("term.open", () => ({ term: "T1", seq: 0 }))
    .on("term.resize", ({ cols, rows, claim }) => {
      if (claim || size.by === "phone-1") size = { cols, rows, by: "phone-1" };
      return size;
    })
    .on("term.input", () => ({}))
    .on("term.snapshot", ({ term }) => ({ term, seq: 0, data: "", open: true }))
    .on("term.list", () => ({ terms: [] }));
}

describe("terminal session: size", () => {
  it("learns the pty's size and holder from resize answers and term.size pushes of its own terminal", async () => {
    const h = hub();
    const session = new TerminalSession(h, screen, "phone-1");
    h.onPush((p) => session.handlePush(p));
    const seen: TermSizePush[] = [];
    session.onSize((s) => seen.push(s));
    expect(session.size).toBeNull();
    await session.open(80, 24);
    await session.resize(40, 20);
    expect(session.size).toEqual({ term: "T1", cols: 40, rows: 20, by: "phone-1" });
    h.push("term.size", { term: "T1", cols: 120, rows: 30, by: "desktop" });
    h.push("term.size", { term: "T2", cols: 10, rows: 10, by: "desktop" }); // another terminal: ignored
    h.push("term.size", { term: "T1", cols: "wide" }); // malformed: ignored
    expect(session.size).toEqual({ term: "T1", cols: 120, rows: 30, by: "desktop" });
    expect(seen.map((s) => s.by)).toEqual(["phone-1", "desktop"]);
  });

  it("sends claim only when asked, and an answer without a size (an older hub) changes nothing", async () => {
    const h = hub().on("term.resize", () => ({}));
    const session = new TerminalSession(h, screen, "phone-1");
    h.onPush((p) => session.handlePush(p));
    await session.open(80, 24);
    await session.resize(50, 20);
    await session.resize(50, 20, true);
    expect(h.callsOf("term.resize")).toEqual([
      { term: "T1", cols: 50, rows: 20 },
      { term: "T1", cols: 50, rows: 20, claim: true },
    ]);
    expect(session.size).toBeNull();
  });
});
