import { describe, expect, it } from "vitest";
import { ScriptedHub } from "../testing/scripted-hub";
import { TerminalSession } from "./terminal-session";

/** A screen that records what it was told, like xterm would draw it. */
function recordingScreen() {
  const screen = { text: "", resets: 0, reset: () => ((screen.text = ""), screen.resets++), write: (d: string) => void (screen.text += d) };
  return screen;
}

function hub(snapshot: { seq: number; data: string; open?: boolean }) {
  return new ScriptedHub()
    .on("term.open", () => ({ term: "T1", seq: 4 }))
    .on("term.snapshot", ({ term }) => ({ term, seq: snapshot.seq, data: snapshot.data, open: snapshot.open ?? true }))
    .on("term.input", () => ({}))
    .on("term.resize", () => ({}))
    .on("term.close", () => ({}));
}
const out = (seq: number, data: string, term = "T1") => ({ t: "term.output", d: { term, seq, data } });

describe("terminal session", () => {
  it("draws output in seq order and drops duplicates and other terminals' output", async () => {
    const screen = recordingScreen();
    const session = new TerminalSession(hub({ seq: 0, data: "" }), screen);
    await session.open(80, 24);
    session.handlePush(out(5, "a"));
    session.handlePush(out(5, "a"));
    session.handlePush(out(6, "b", "T2"));
    session.handlePush(out(6, "c"));
    expect(screen.text).toBe("ac");
    expect(session.current.phase).toBe("open");
  });

  it("on a gap, redraws from a snapshot and replays only output newer than it", async () => {
    const screen = recordingScreen();
    const h = hub({ seq: 9, data: "SNAP" });
    const session = new TerminalSession(h, screen);
    await session.open(80, 24);
    session.handlePush(out(5, "a"));
    session.handlePush(out(8, "lost-before")); // 6 and 7 never came: gap
    session.handlePush(out(9, "covered")); // arrives while the snapshot is on its way
    session.handlePush(out(10, "new"));
    await session.resync(); // waits for the one in flight
    expect(screen.text).toBe("SNAPnew");
    expect(h.callsOf("term.snapshot")).toHaveLength(1);
  });

  it("reattaches to a kept terminal by snapshot, and opens a fresh one if it is gone", async () => {
    const screen = recordingScreen();
    const h = hub({ seq: 3, data: "scrollback" });
    const session = new TerminalSession(h, screen);
    await session.open(40, 20, "T1");
    expect(screen.text).toBe("scrollback");
    expect(h.callsOf("term.resize")).toEqual([{ term: "T1", cols: 40, rows: 20 }]);
    expect(h.callsOf("term.open")).toEqual([]);

    const gone = hub({ seq: 0, data: "" }).on("term.snapshot", () => {
      throw new Error("no such terminal");
    });
    const again = new TerminalSession(gone, recordingScreen());
    await again.open(40, 20, "OLD");
    expect(again.current).toMatchObject({ phase: "open", term: "T1", error: null });
  });

  it("sends input and reports exit", async () => {
    const h = hub({ seq: 0, data: "" });
    const session = new TerminalSession(h, recordingScreen());
    await session.input("ignored before open");
    await session.open(80, 24);
    await session.input("ls\r");
    session.handlePush({ t: "term.exit", d: { term: "T1", exit_code: 0 } });
    await session.input("after exit");
    expect(h.callsOf("term.input")).toEqual([{ term: "T1", data: "ls\r" }]);
    expect(session.current).toMatchObject({ phase: "exited", exitCode: 0 });
    await session.close();
    expect(h.callsOf("term.close")).toEqual([{ term: "T1" }]);
  });
});
