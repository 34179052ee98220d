import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { ExecutorError } from "../executor/errors";
import { sessionAlive } from "../executor/session-kill";
import { runTask } from "./task-process";

const log = pino({ level: "silent" });
const dir = mkdtempSync(join(tmpdir(), "nl-run-task-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runTask on a real pty", () => {
  it("captures output and a zero exit code as done", async () => {
    const chunks: string[] = [];
    const run = await runTask({
      command: "echo hello; printf 'caf\\303\\251\\n'; pwd",
      cwd: dir,
      log,
      onOutput: (t) => chunks.push(t),
    });
    const r = await run.done;
    expect(r.state).toBe("done");
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(`hello\r\ncafé\r\n${dir}\r\n`);
    expect(chunks.join("")).toBe(r.output);
  });

  it("reports a non-zero exit code as failed", async () => {
    const r = await (await runTask({ command: "echo oops >&2; exit 7", cwd: dir, log })).done;
    expect(r).toMatchObject({ state: "failed", exitCode: 7 });
    expect(r.output).toContain("oops");
  });

  it("passes env and defaults the cwd from settings", async () => {
    const r = await (
      await runTask({ command: 'echo "$NL_X"; pwd', env: { NL_X: "42" }, settings: { defaultCwd: dir }, log })
    ).done;
    expect(r.output).toBe(`42\r\n${dir}\r\n`);
  });

  it("keeps only the last taskOutputKeep code units", async () => {
    const r = await (await runTask({ command: "seq 1 20000", cwd: dir, settings: { taskOutputKeep: 1000 }, log })).done;
    expect(r.output.length).toBe(1000);
    expect(r.output.slice(-14)).toBe("19999\r\n20000\r\n");
    expect(r.outputChars).toBeGreaterThan(100_000);
  });

  it("kills every process of the task on timeout", async () => {
    const run = await runTask({
      command: "sleep 30 & sleep 31; echo never",
      cwd: dir,
      timeoutMs: 300,
      settings: { killGraceMs: 500 },
      log,
    });
    const r = await run.done;
    expect(r.state).toBe("timed_out");
    expect(r.output).not.toContain("never");
    expect(sessionAlive(run.pid)).toBe(false);
  });

  it("escalates to SIGKILL when SIGTERM is ignored", async () => {
    const run = await runTask({
      command: "trap '' TERM; sleep 30 & sleep 31",
      cwd: dir,
      timeoutMs: 300,
      settings: { killGraceMs: 300 },
      log,
    });
    const r = await run.done;
    expect(r.state).toBe("timed_out");
    expect(sessionAlive(run.pid)).toBe(false);
  });

  it("cancel ends the task as failed", async () => {
    const run = await runTask({ command: "sleep 30", cwd: dir, log });
    run.cancel();
    const r = await run.done;
    expect(r.state).toBe("failed");
    expect(r.signal).not.toBeNull();
  });

  it("rejects a missing working directory and a bad timeout", async () => {
    await expect(runTask({ command: "ls", cwd: join(dir, "missing"), log })).rejects.toMatchObject({ code: "bad_cwd" });
    await expect(runTask({ command: "ls", cwd: "relative/dir", log })).rejects.toMatchObject({ code: "bad_cwd" });
    await expect(runTask({ command: "ls", cwd: dir, timeoutMs: -1, log })).rejects.toBeInstanceOf(ExecutorError);
  });
});
