import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { sessionAlive } from "../executor/session-kill";
import { TerminalManager, type TerminalExitEvent, type TerminalOutputEvent } from "./pty-terminals";

const log = pino({ level: "silent" });
const dir = mkdtempSync(join(tmpdir(), "nl-terms-"));
let manager: TerminalManager | null = null;

afterEach(async () => {
  await manager?.closeAll();
  manager = null;
});
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

function setup(settings: ConstructorParameters<typeof TerminalManager>[0] = {}) {
  // /bin/sh without -l: no user start-up files, so the test sees only what it types.
  const m = new TerminalManager({
    log,
    ...settings,
    settings: { terminalShell: "/bin/sh", defaultCwd: dir, ...settings.settings },
  });
  manager = m;
  const events: TerminalOutputEvent[] = [];
  const exits: TerminalExitEvent[] = [];
  m.onOutput((e) => events.push(e));
  m.onExit((e) => exits.push(e));
  const text = (id: string) =>
    events
      .filter((e) => e.id === id)
      .map((e) => e.data)
      .join("");
  const waitFor = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!cond()) throw new Error(`timed out waiting for ${what}`);
  };
  return { m, events, exits, text, waitFor };
}

describe("TerminalManager on a real pty", () => {
  it("echoes input and numbers output events per terminal", async () => {
    const { m, events, text, waitFor } = setup();
    const { id } = await m.open({ cols: 80, rows: 24, owner: "phone-1" });
    m.input(id, "echo hi-$((40 + 2))\r");
    await waitFor(() => text(id).includes("hi-42"), "echo");
    expect(text(id)).toContain("echo hi-$((40 + 2))");
    const seqs = events.filter((e) => e.id === id).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("resizes: stty size shows the new size", async () => {
    const { m, text, waitFor } = setup();
    const { id } = await m.open({ cols: 80, rows: 24, owner: "phone-1" });
    m.resize(id, 101, 33);
    m.input(id, "stty size\r");
    await waitFor(() => text(id).includes("33 101"), "stty size");
    expect(m.info(id)).toMatchObject({ cols: 101, rows: 33 });
  });

  it("keeps scrollback for snapshot and since, and signals a reset past it", async () => {
    const { m, events, text, waitFor } = setup({ settings: { scrollbackKeep: 2000 } });
    const { id } = await m.open({ cols: 80, rows: 24, owner: "phone-1" });
    // Wait for computed output: the echo of the typed line must not satisfy the wait.
    m.input(id, "echo mark-$((1))-one\r");
    await waitFor(() => text(id).includes("mark-1-one\r\n"), "first output");
    const snap = m.snapshot(id);
    expect(snap.data).toBe(text(id));
    expect(snap.seq).toBe(events.length);
    m.input(id, "echo mark-$((2))-two\r");
    await waitFor(() => text(id).includes("mark-2-two\r\n"), "second output");
    const missed = m.since(id, snap.seq);
    expect(missed?.map((c) => c.data).join("")).toBe(text(id).slice(snap.data.length));
    m.input(id, "seq 1 2000\r");
    await waitFor(() => text(id).includes("1999\r\n2000\r\n"), "long output");
    expect(m.since(id, snap.seq)).toBeNull();
    expect(m.snapshot(id).data.length).toBeLessThanOrEqual(2000);
    expect(m.snapshot(id).data).toContain("2000");
  });

  it("reports the exit code of an exited shell and keeps its scrollback", async () => {
    const { m, exits, waitFor } = setup();
    const { id } = await m.open({ cols: 80, rows: 24, owner: "phone-1" });
    m.input(id, "echo bye; exit 3\r");
    await waitFor(() => exits.length === 1, "exit");
    expect(exits[0]).toMatchObject({ id, owner: "phone-1", exitCode: 3 });
    expect(m.snapshot(id).data).toContain("bye");
    expect(() => m.input(id, "x")).toThrow(/exited/);
  });

  it("limits terminals per device and validates sizes", async () => {
    const { m } = setup({ settings: { maxTerminalsPerDevice: 1 } });
    await m.open({ cols: 80, rows: 24, owner: "phone-1" });
    await expect(m.open({ cols: 80, rows: 24, owner: "phone-1" })).rejects.toMatchObject({ code: "limit_reached" });
    await expect(m.open({ cols: 80, rows: 24, owner: "phone-2" })).resolves.toHaveProperty("id");
    await expect(m.open({ cols: 0, rows: 24, owner: "phone-3" })).rejects.toMatchObject({ code: "bad_request" });
    expect(() => m.input("nope", "x")).toThrow(/no terminal/);
  });

  it("close ends the terminal's processes, background jobs included", async () => {
    const { m, text, waitFor } = setup();
    const { id } = await m.open({ cols: 80, rows: 24, owner: "phone-1" });
    const { pid } = m.info(id);
    // An interactive shell puts the job in a process group of its own: closing must still end it.
    m.input(id, "sleep 30 & echo job=$!\r");
    await waitFor(() => /job=\d+\r\n/.test(text(id)), "background job");
    const job = Number(/job=(\d+)/.exec(text(id))?.[1]);
    expect(readFileSync(`/proc/${job}/stat`, "latin1").split(") ")[1].split(" ")[2]).not.toBe(String(pid));
    await m.close(id);
    expect(sessionAlive(pid)).toBe(false);
    const state = (() => {
      try {
        return readFileSync(`/proc/${job}/stat`, "latin1").split(") ")[1][0];
      } catch {
        return "gone";
      }
    })();
    expect(["gone", "Z", "X"]).toContain(state);
    expect(m.list("phone-1")).toEqual([]);
  });
});
