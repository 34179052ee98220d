/**
 * Keystrokes written straight to a real pty: in order, also when the program
 * is not reading and the tty's buffer is full, and refused past the waiting limit.
 */
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pty from "node-pty";
import { afterEach, describe, expect, it } from "vitest";
import { ExecutorError } from "./errors";
import { type PtyProcess, spawnPty } from "./pty-process";
import { PTY_INPUT_MAX_WAITING_BYTES, ptyMasterSide, PtyWriter } from "./pty-writer";

let proc: PtyProcess | null = null;
afterEach(() => {
  try {
    if (proc) process.kill(proc.pid, "SIGKILL");
  } catch {
    // It had already exited.
  }
  proc = null;
});

function start(script: string): { proc: PtyProcess; output: () => string; exited: Promise<number> } {
  const p = spawnPty({ file: "/bin/sh", args: ["-c", script], cwd: tmpdir(), cols: 80, rows: 24 });
  proc = p;
  let out = "";
  p.onText((t) => (out += t));
  const exited = new Promise<number>((resolve) => p.onExit((e) => resolve(e.exitCode)));
  return { proc: p, output: () => out, exited };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

describe("PtyWriter", () => {
  it("finds node-pty's master side here, so keystrokes skip the thread pool; open until node-pty lets go", async () => {
    const p = pty.spawn("/bin/true", [], { cols: 10, rows: 5 });
    const side = ptyMasterSide(p);
    expect(side).toMatchObject({ fd: expect.any(Number) });
    expect(side!.isOpen()).toBe(true);
    await new Promise<void>((resolve) => p.onExit(() => resolve()));
    expect(side!.isOpen()).toBe(false);
    expect(ptyMasterSide({})).toBeNull();
    expect(ptyMasterSide({ _fd: 3 })).toBeNull();
  });

  it("never writes to a descriptor node-pty has let go (its number may already name another file)", () => {
    // A file stands in for whatever the number names now: what reaches it is what was written.
    const file = join(mkdtempSync(join(tmpdir(), "nlink-pty-writer-")), "other-file");
    const fd = openSync(file, "w");
    let open = true;
    const writer = new PtyWriter({ fd, isOpen: () => open });
    writer.write("typed while open;");
    open = false;
    writer.write("typed after node-pty let go");
    closeSync(fd);
    expect(readFileSync(file, "utf8")).toBe("typed while open;");
  });

  it("delivers 300 KB typed while the program is not reading, whole and in order", async () => {
    const size = 300_000;
    const t = start(`stty raw -echo; echo READY; sleep 0.5; head -c ${size} | sha256sum`);
    await until(() => t.output().includes("READY"));
    const text = Array.from({ length: size }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    // Far more than the tty takes at once: most of it waits in the writer and goes as the program reads.
    for (let i = 0; i < size; i += 1000) t.proc.write(text.slice(i, i + 1000));
    await t.exited;
    expect(t.output()).toContain(createHash("sha256").update(text).digest("hex"));
  });

  it("refuses input past the waiting limit while the program does not read, and keeps what it took", async () => {
    const t = start("stty raw -echo; echo READY; sleep 30");
    await until(() => t.output().includes("READY"));
    const chunk = "x".repeat(64 * 1024);
    let taken = 0;
    let refused: unknown = null;
    try {
      for (let i = 0; i < 64; i++) {
        t.proc.write(chunk);
        taken += chunk.length;
      }
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ExecutorError);
    expect((refused as ExecutorError).code).toBe("limit_reached");
    expect(taken).toBeGreaterThanOrEqual(PTY_INPUT_MAX_WAITING_BYTES - chunk.length);
  });

  it("echoes single keystrokes in the order typed", async () => {
    const t = start("stty -icanon -echo; echo READY; exec cat");
    await until(() => t.output().includes("READY"));
    const typed = "the quick brown fox jumps over the lazy dog";
    for (const ch of typed) t.proc.write(ch);
    await until(() => t.output().length >= t.output().indexOf("READY") + 7 + typed.length);
    expect(t.output().split("READY")[1]!.replace(/\r?\n/g, "")).toBe(typed);
  });
});
