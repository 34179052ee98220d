import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTask } from "../tasks/task-process";
import { detectSandbox } from "./detect";
import type { SandboxSpec, SandboxStatus } from "./types";

/**
 * Sandboxed tasks on a real pty and real bubblewrap cannot reach anything outside:
 * no TCP (even to loopback), no Unix sockets, no signals to outside processes; they
 * end with their task. The read-only controls still run and print what they print
 * outside. No skip: CI installs bubblewrap.
 */
const log = pino({ level: "silent" });
const PY = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const root = mkdtempSync(join("/var/tmp", "nl-sbx-reach-"));
const spec: SandboxSpec = { mode: "read-only", writable: [], hidden: [] };
let status: SandboxStatus;
let tcp: Server;
let unix: Server;
let tcpPort = 0;
const seen = { tcp: 0, unix: 0 };
const unixPath = join(root, "server.sock");
let outside: ChildProcess;

beforeAll(async () => {
  status = await detectSandbox({ log });
  expect(status.available).toBe(true);
  tcp = createServer((s) => (seen.tcp++, s.destroy()));
  unix = createServer((s) => (seen.unix++, s.destroy()));
  await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => unix.listen(unixPath, r));
  tcpPort = (tcp.address() as { port: number }).port;
  outside = spawn("sleep", ["300"], { stdio: "ignore" });
});
afterAll(async () => {
  outside.kill("SIGKILL");
  await new Promise((r) => tcp.close(r));
  await new Promise((r) => unix.close(r));
  rmSync(root, { recursive: true, force: true });
});

const run = async (command: string, timeoutMs = 15_000) =>
  (await runTask({ command, cwd: root, log, timeoutMs, sandbox: { status, spec } })).done;

describe("sandboxed runTask: no network", () => {
  it("the loopback listener works from outside (the control)", async () => {
    const r = await (
      await runTask({ command: `bash -c 'echo > /dev/tcp/127.0.0.1/${tcpPort}' && echo sent`, cwd: root, log })
    ).done;
    expect(r.output).toContain("sent");
    await expect.poll(() => seen.tcp).toBe(1);
    seen.tcp = 0;
  });

  it.each([
    ["bash /dev/tcp", () => `bash -c 'echo > /dev/tcp/127.0.0.1/${tcpPort}'`],
    ["curl", () => `curl -sS --max-time 5 http://127.0.0.1:${tcpPort}/`],
    ["python", () => `${PY} -c "import socket; socket.create_connection(('127.0.0.1', ${tcpPort}), 5)"`],
  ])("%s to a real loopback listener: no connection arrives", async (_name, cmd) => {
    const r = await run(cmd());
    expect(r.state).toBe("failed");
    // A loopback refusal is not the sandbox's doing as far as the words go; it is in fact.
    expect(seen.tcp).toBe(0);
  });

  it("curl off the machine fails as a network block", async () => {
    const r = await run("curl -sS --max-time 5 https://registry.npmjs.org/");
    expect(r).toMatchObject({ state: "failed", sandboxBlocked: "network" });
  });

  it("a Unix socket server outside /tmp and Postgres's socket are unreachable", async () => {
    const py = await run(
      `${PY} -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('${unixPath}'); print('connected')"`,
    );
    expect(py.output).not.toContain("connected");
    expect(py.sandboxBlocked).toBe("network");
    const sc = await run(`socat -u OPEN:/dev/null UNIX-CONNECT:${unixPath}`);
    expect(sc.state).toBe("failed");
    expect(seen.unix).toBe(0);
    const pg = await run(`psql -h /var/run/postgresql -U postgres -d test -tAc "select 42"`);
    expect(pg).toMatchObject({ state: "failed", sandboxBlocked: "network" });
    expect(pg.output).not.toMatch(/^42/m);
  });
});

describe("sandboxed runTask: processes", () => {
  it("cannot signal a process outside, which survives", async () => {
    const r = await run(`kill -9 ${outside.pid}; kill -TERM ${outside.pid}`);
    expect(r.state).toBe("failed");
    expect(r.output).toContain("No such process");
    expect(outside.exitCode).toBeNull();
    expect(() => process.kill(outside.pid!, 0)).not.toThrow();
  });

  it("a timed-out task leaves nothing behind, not even a setsid'd sleep", async () => {
    const marker = `99${process.pid % 1000}7`;
    const run1 = await runTask({
      command: `setsid sleep ${marker} & sleep ${marker} & nohup sleep ${marker} >/dev/null 2>&1 & sleep 1; echo started; wait`,
      cwd: root,
      log,
      timeoutMs: 2000,
      settings: { killGraceMs: 300 },
      sandbox: { status, spec },
    });
    const r = await run1.done;
    expect(r.state).toBe("timed_out");
    expect(r.output).toContain("started");
    // The kernel ends a pid namespace's processes right after its init; allow it a moment.
    await expect
      .poll(
        () =>
          execFileSync("ps", ["-eo", "stat=,args="], { encoding: "utf8" })
            .split("\n")
            .filter((l) => l.includes(`sleep ${marker}`) && !l.startsWith("Z")).length,
        { timeout: 3000 },
      )
      .toBe(0);
  });

  it("cancel ends the task and everything in it", async () => {
    const marker = `88${process.pid % 1000}3`;
    const run1 = await runTask({
      command: `setsid sleep ${marker} & echo up; wait`,
      cwd: root,
      log,
      onOutput: (t) => t.includes("up") && run1.cancel(),
      sandbox: { status, spec },
    });
    const r = await run1.done;
    expect(r.state).toBe("failed");
    expect(r.sandboxBlocked).toBeNull();
    await expect
      .poll(
        () =>
          execFileSync("ps", ["-eo", "stat=,args="], { encoding: "utf8" })
            .split("\n")
            .filter((l) => l.includes(`sleep ${marker}`) && !l.startsWith("Z")).length,
        { timeout: 3000 },
      )
      .toBe(0);
  });

  it("refuses to run when there is no sandbox, and never runs unsandboxed", async () => {
    const target = join(root, "must-not-exist");
    const none = { kind: "none", available: false, reason: "No sandbox: test" };
    await expect(
      runTask({ command: `touch ${target}`, cwd: root, log, sandbox: { status: none, spec } }),
    ).rejects.toMatchObject({ name: "SandboxError", code: "unavailable" });
    const broken = { kind: "bubblewrap", available: true, reason: "" };
    const r = await (
      await runTask({
        command: `touch ${target}`,
        cwd: root,
        log,
        sandbox: { status: broken, spec, settings: { bwrapPath: join(root, "no-bwrap") } },
      })
    ).done;
    expect(r.state).toBe("failed");
    expect(existsSync(target)).toBe(false);
  });
});

describe("sandboxed runTask: environment", () => {
  it("does not see the hub's secrets, only the documented set", async () => {
    process.env.NL_TEST_HUB_SECRET = "hub-secret-value";
    try {
      expect((await (await runTask({ command: "env", cwd: root, log })).done).output).toContain("hub-secret-value");
      const inside = await run("env");
      expect(inside.output).not.toContain("hub-secret-value");
      const names = inside.output
        .split("\r\n")
        .filter(Boolean)
        .map((l) => l.split("=")[0])
        .sort();
      const allowed = new Set([
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TERM",
        "COLORTERM",
        "PAGER",
        "GIT_PAGER",
        "PWD",
        "SHLVL",
        "OLDPWD",
        "_",
      ]);
      expect(names.filter((n) => !allowed.has(n) && !n.startsWith("LC_"))).toEqual([]);
    } finally {
      delete process.env.NL_TEST_HUB_SECRET;
    }
  });
});

describe("sandboxed runTask: read-only controls run and print what they print outside", () => {
  beforeAll(() => {
    execFileSync("git", ["init", "-q", join(root, "repo")]);
    execFileSync("git", [
      "-C",
      join(root, "repo"),
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@e",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "hello",
    ]);
  });
  const plain = async (command: string) =>
    (await runTask({ command, cwd: root, log, env: { PAGER: "cat", GIT_PAGER: "cat" } })).done;

  it.each(["ls -la", "cat /etc/hostname", "grep -c root /etc/passwd", "git -C repo status", "git -C repo log"])(
    "%s",
    async (command) => {
      const inside = await run(command);
      expect(inside).toMatchObject({ state: "done", exitCode: 0, sandboxBlocked: null });
      expect(inside.output).toBe((await plain(command)).output);
    },
  );

  it("ps aux and df -h run (showing the sandbox's own view)", async () => {
    const ps = await run("ps aux");
    expect(ps.state).toBe("done");
    expect(ps.output).toContain("PID");
    expect(ps.output).not.toContain(`sleep 300`);
    const df = await run("df -h /");
    expect(df.state).toBe("done");
    expect(df.output.split("\n")[1]?.split(/\s+/)[0]).toBe(
      readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .find((l) => l.split(" ")[1] === "/")
        ?.split(" ")[0],
    );
  });
});
