import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataLock, DataDirBusyError, LOCK_FILE, lockHolder } from "./data-lock";

const dir = mkdtempSync(join(tmpdir(), "nlink-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real second process that takes the lock through the same code and waits. */
function holder(data: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import("${join(import.meta.dirname, "data-lock.ts")}").then((m) => { m.acquireDataLock(${JSON.stringify(data)}); console.log("locked"); setInterval(() => {}, 1000); })`,
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const locked = new Promise<void>((resolve) =>
    child.stdout.on("data", (b: Buffer) => b.toString().includes("locked") && resolve()),
  );
  return { child, locked };
}

describe("data directory lock", () => {
  it("refuses while another live process holds it, naming its pid, and is free again once that process is SIGKILLed", async () => {
    const data = join(dir, "a");
    mkdirSync(data);
    const { child, locked } = holder(data);
    await locked;
    expect(lockHolder(data)).toBe(child.pid);
    expect(() => acquireDataLock(data)).toThrow(DataDirBusyError);
    expect(() => acquireDataLock(data)).toThrow(`another hub (pid ${child.pid}) is using ${data}`);
    child.kill("SIGKILL");
    await once(child, "exit");
    // The crashed holder's file is still there, but it no longer counts.
    expect(readFileSync(join(data, LOCK_FILE), "utf8")).toContain(String(child.pid));
    expect(lockHolder(data)).toBeNull();
    const lock = acquireDataLock(data);
    expect(readFileSync(join(data, LOCK_FILE), "utf8").split(" ")[0]).toBe(String(process.pid));
    expect(statSync(join(data, LOCK_FILE)).mode & 0o777).toBe(0o600);
    lock.release();
    expect(lockHolder(data)).toBeNull();
  }, 30_000);

  it("does not mistake a reused pid for the holder: the recorded start time must match", () => {
    const data = join(dir, "b");
    mkdirSync(data);
    // Our own pid is alive, but with another start time it is some other, earlier process.
    writeFileSync(join(data, LOCK_FILE), `${process.ppid} 1\n`);
    expect(lockHolder(data)).toBeNull();
    acquireDataLock(data).release();
  });
});
