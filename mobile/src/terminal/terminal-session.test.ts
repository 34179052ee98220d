import { describe, expect, it } from "vitest";
import { RpcError, type Task } from "@neural-link/shared/app";
import { ScriptedHub } from "../../test/scripted-hub";
import { TerminalSession } from "./terminal-session";

/** A screen that records what it was told, like xterm would draw it. */
function recordingScreen() {
  const screen = {
    text: "",
    resets: 0,
    reset: () => ((screen.text = ""), screen.resets++),
    write: (d: string) => void (screen.text += d),
  };
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
/** A shell request waiting for the desktop's approval. */
const REQUEST: Task = {
  id: "k1",
  command: "terminal",
  risk: "high",
  state: "awaiting_approval",
  kind: "terminal",
  term: "T1",
  awaiting: ["desktop"],
};
/** A hub whose new shells wait for approval (REQUEST). */
const awaitingApproval = (h: ReturnType<typeof hub>) =>
  h.on("term.open", () => ({ term: "T1", seq: 0, state: "awaiting_approval", task: REQUEST }));
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

  it("reattaches to a kept terminal by snapshot; a terminal the hub lost is 'gone', in words, and nothing new is opened", async () => {
    const screen = recordingScreen();
    const h = hub({ seq: 3, data: "scrollback" });
    const session = new TerminalSession(h, screen);
    await session.attach(40, 20, "T1");
    expect(screen.text).toBe("scrollback");
    expect(h.callsOf("term.resize")).toEqual([{ term: "T1", cols: 40, rows: 20 }]);
    expect(h.callsOf("term.open")).toEqual([]);

    // After a hub restart: "Not found: no terminal <uuid>" must not reach the screen.
    const gone = hub({ seq: 0, data: "" }).on("term.snapshot", ({ term }) => {
      throw new RpcError("not_found", `no terminal ${term}`);
    });
    const again = new TerminalSession(gone, recordingScreen());
    await again.attach(40, 20, "OLD");
    expect(again.current).toMatchObject({ phase: "gone", term: null, error: null });
    expect(gone.callsOf("term.open")).toEqual([]);
  });

  it("a phone without the terminal capability is told where terminals are turned on", async () => {
    const refused = hub({ seq: 0, data: "" })
      .on("term.list", () => {
        throw new RpcError("forbidden", "device lacks capability terminal");
      })
      .on("term.open", () => {
        throw new RpcError("forbidden", "device lacks capability terminal");
      });
    const session = new TerminalSession(refused, recordingScreen());
    await session.attach(40, 20);
    expect(session.current).toMatchObject({ phase: "error", error: expect.stringMatching(/^Terminals are off/) });
    await session.open(40, 20);
    expect(session.current.error).toBe(
      "Terminals are off for this phone: the desktop's user turns them on under Devices (Terminals).",
    );
  });

  it("after a reload, reattaches to this phone's newest open shell instead of opening another", async () => {
    const screen = recordingScreen();
    const h = hub({ seq: 7, data: "$ still here" }).on("term.list", () => ({
      terms: [
        { term: "OLD", open: false, cols: 80, rows: 24 },
        { term: "T1", open: true, cols: 80, rows: 24 },
      ],
    }));
    const session = new TerminalSession(h, screen);
    await session.attach(50, 20);
    expect(session.current).toMatchObject({ phase: "open", term: "T1" });
    expect(screen.text).toBe("$ still here");
    expect(h.callsOf("term.open")).toEqual([]);
    // None open: nothing is opened either (a new shell needs a tap and an approval).
    const empty = hub({ seq: 0, data: "" }).on("term.list", () => ({ terms: [] }));
    const fresh = new TerminalSession(empty, recordingScreen());
    await fresh.attach(50, 20);
    expect(fresh.current.phase).toBe("none");
    expect(empty.callsOf("term.open")).toEqual([]);
  });

  it("a new shell waits for approval, ignores output meanwhile, and opens from a snapshot once approved", async () => {
    const request = REQUEST;
    const screen = recordingScreen();
    const h = awaitingApproval(hub({ seq: 2, data: "$ " }));
    const session = new TerminalSession(h, screen, "me");
    await session.open(80, 24);
    expect(session.current).toMatchObject({ phase: "awaiting_approval", term: "T1", task: request });
    session.handlePush(out(1, "too early"));
    await session.input("typed too early");
    expect(h.callsOf("term.input")).toEqual([]);
    session.handlePush({ t: "task.updated", d: { task: { ...request, id: "other", state: "running" } } }); // not ours
    expect(session.current.phase).toBe("awaiting_approval");
    session.handlePush({ t: "task.updated", d: { task: { ...request, state: "running" } } });
    await expect.poll(() => session.current.phase).toBe("open");
    expect(screen.text).toBe("$ ");
  });

  it("a shell that opens after an approval is told the size the screen fits by then, not the size of the tap", async () => {
    const request = REQUEST;
    const h = awaitingApproval(hub({ seq: 2, data: "$ " }));
    const session = new TerminalSession(h, recordingScreen(), "me");
    await session.open(44, 30);
    // The request's card goes, the screen refits while the desktop's user decides: nothing to resize yet.
    await session.resize(45, 33);
    expect(h.callsOf("term.resize")).toEqual([]);
    session.handlePush({ t: "task.updated", d: { task: { ...request, state: "running" } } });
    await expect.poll(() => h.callsOf("term.resize")).toEqual([{ term: "T1", cols: 45, rows: 33 }]);
    expect(session.current.phase).toBe("open");
  });

  it("a shell opened at once after the screen refitted meanwhile is resized to the new fit", async () => {
    let answer: (v: { term: string; seq: number }) => void = () => {};
    const h = hub({ seq: 0, data: "" }).on("term.open", () => new Promise((r) => (answer = r)));
    const session = new TerminalSession(h, recordingScreen(), "me");
    const opening = session.open(44, 30);
    await session.resize(45, 30);
    answer({ term: "T1", seq: 0 });
    await opening;
    expect(h.callsOf("term.open")).toEqual([{ cols: 44, rows: 30 }]);
    expect(h.callsOf("term.resize")).toEqual([{ term: "T1", cols: 45, rows: 30 }]);
  });

  it("says who rejected a shell, and withdraws a pending one with tasks.cancel", async () => {
    const request: Task = { ...REQUEST, awaiting: undefined };
    const h = hub({ seq: 0, data: "" })
      .on("term.open", () => ({ term: "T1", seq: 0, state: "awaiting_approval", task: request }))
      .on("tasks.cancel", ({ task }) => ({
        task: { ...request, id: task, state: "rejected", end_reason: "cancelled", ended_by: "me" },
      }));
    const session = new TerminalSession(h, recordingScreen(), "me");
    await session.open(80, 24);
    session.handlePush({
      t: "task.updated",
      d: { task: { ...request, state: "rejected", end_reason: "rejected", ended_by: "desktop" } },
    });
    expect(session.current).toMatchObject({
      phase: "rejected",
      term: null,
      error: "The terminal did not open: rejected by the desktop.",
    });

    await session.open(80, 24);
    await session.close();
    expect(h.callsOf("tasks.cancel")).toEqual([{ task: "k1" }]);
    expect(h.callsOf("term.close")).toEqual([]);
    expect(session.current.phase).toBe("none");
  });

  it("after a reconnect, asks the hub whether a pending shell was decided meanwhile", async () => {
    const request: Task = { ...REQUEST, awaiting: undefined };
    const h = hub({ seq: 0, data: "" })
      .on("term.open", () => ({ term: "T1", seq: 0, state: "awaiting_approval", task: request }))
      .on("tasks.get", () => ({ task: { ...request, state: "rejected", end_reason: "approval_expired" } }));
    const session = new TerminalSession(h, recordingScreen(), "me");
    await session.open(80, 24);
    await session.resync();
    expect(session.current.error).toBe("The terminal did not open: nobody approved it in time.");
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

  it("with a hub that offers flow: keystrokes go as qos 0 term.in, and drawn output is acked", async () => {
    const h = new ScriptedHub()
      .on("term.snapshot", ({ term }) => ({ term, seq: 3, data: "$ ", open: true, flow: { window: 400 } }))
      .on("term.resize", () => ({}))
      .on("term.input", () => ({}));
    const drawn: (() => void)[] = [];
    // A screen that draws later, as xterm does: acks wait for its callback.
    const screen = {
      text: "",
      reset: () => void (screen.text = ""),
      write: (d: string, done?: () => void) => void ((screen.text += d), done && drawn.push(done)),
    };
    const session = new TerminalSession(h, screen);
    await session.attach(80, 24, "T1");
    expect(h.sent).toEqual([{ t: "term.ack", d: { term: "T1", seq: 3 }, qos: 0, unconfirmed: true }]); // turns the hub's window on
    await session.input("ls\r");
    expect(h.sent.at(-1)).toEqual({ t: "term.in", d: { term: "T1", data: "ls\r" }, qos: 0, unconfirmed: true });
    expect(h.callsOf("term.input")).toEqual([]);
    session.handlePush(out(4, "a".repeat(50)));
    session.handlePush(out(5, "b".repeat(120)));
    expect(h.sent).toHaveLength(2); // nothing drawn yet
    drawn.shift()!(); // 50 drawn, one still drawing: under a quarter of the window, no ack
    expect(h.sent).toHaveLength(2);
    drawn.shift()!(); // all drawn: ack the last
    expect(h.sent.at(-1)).toEqual({ t: "term.ack", d: { term: "T1", seq: 5 }, qos: 0, unconfirmed: true });
    // The desktop offline: the keystroke goes as the qos 1 call, which the relay keeps.
    h.setStatus({ peerOnline: false });
    await session.input("x");
    expect(h.callsOf("term.input")).toEqual([{ term: "T1", data: "x" }]);
  });

  it("a screen that draws bytes asks for output as bytes; one that draws text gets text even if bytes come", async () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const h = hub({ seq: 3, data: "$ " });
    const chunks: (string | Uint8Array)[] = [];
    const byteScreen = { reset: () => undefined, write: (d: string | Uint8Array) => void chunks.push(d), bytes: true };
    const session = new TerminalSession(h, byteScreen);
    await session.attach(80, 24, "T1");
    expect(h.callsOf("term.snapshot")).toEqual([{ term: "T1", bytes: true }]);
    session.handlePush({ t: "term.output", d: { term: "T1", seq: 4, data: utf8("café ✓") } });
    expect(chunks).toEqual(["$ ", utf8("café ✓")]);

    // An older phone's screen: the snapshot asks nothing, and stray bytes are drawn as their text.
    const text = recordingScreen();
    const older = new TerminalSession(hub({ seq: 3, data: "$ " }), text);
    await older.attach(80, 24, "T1");
    older.handlePush({ t: "term.output", d: { term: "T1", seq: 4, data: utf8("café ✓") } });
    expect(text.text).toBe("$ café ✓");
  });

  it("with an older hub (no flow): input is the term.input call and nothing is acked", async () => {
    const h = hub({ seq: 2, data: "old" });
    const session = new TerminalSession(h, recordingScreen());
    await session.attach(80, 24, "T1");
    session.handlePush(out(3, "x"));
    await session.input("y");
    expect(h.sent).toEqual([]);
    expect(h.callsOf("term.input")).toEqual([{ term: "T1", data: "y" }]);
  });
});
