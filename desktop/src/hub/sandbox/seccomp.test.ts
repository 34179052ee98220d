import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bwrapArgs } from "./bwrap-args";
import { sandboxEnv } from "./env";
import { findBwrap, seccompFilterFile } from "./launcher";
import { buildSeccompFilter, deniedSyscalls, isSeccompArch } from "./seccomp";

/** Decodes the filter back into instructions. */
function decode(buf: Buffer) {
  const out: { code: number; jt: number; jf: number; k: number }[] = [];
  for (let i = 0; i < buf.length; i += 8)
    out.push({ code: buf.readUInt16LE(i), jt: buf[i + 2], jf: buf[i + 3], k: buf.readUInt32LE(i + 4) });
  return out;
}

describe("seccomp filter bytes", () => {
  it.each(["x64", "arm64"] as const)("checks the architecture first and ends every path in a return (%s)", (arch) => {
    const p = decode(buildSeccompFilter(arch));
    expect(p[0]).toEqual({ code: 0x20, jt: 0, jf: 0, k: 4 });
    expect(p[1].code).toBe(0x15);
    expect(p[1].k).toBe(arch === "x64" ? 0xc000003e : 0xc00000b7);
    // A foreign architecture jumps to the last instruction: kill the process.
    expect(1 + 1 + p[1].jf).toBe(p.length - 1);
    expect(p.at(-1)).toEqual({ code: 0x06, jt: 0, jf: 0, k: 0x80000000 });
    // Every jump lands inside the program.
    p.forEach((insn, i) => {
      if (insn.code === 0x15 || insn.code === 0x35) expect(i + 1 + Math.max(insn.jt, insn.jf)).toBeLessThan(p.length);
    });
    // The denied syscalls are all compared against.
    for (const nr of Object.values(deniedSyscalls(arch)))
      expect(p.some((x) => x.code === 0x15 && x.k === nr)).toBe(true);
  });

  it("kills x32 system calls on x86_64", () => {
    const p = decode(buildSeccompFilter("x64"));
    const jge = p.findIndex((x) => x.code === 0x35);
    expect(p[jge].k).toBe(0x40000000);
    expect(p[jge + 1 + p[jge].jt].k).toBe(0x80000000);
  });

  it("knows only x64 and arm64", () => {
    expect(isSeccompArch("x64")).toBe(true);
    expect(isSeccompArch("ia32")).toBe(false);
    expect(isSeccompArch("riscv64")).toBe(false);
  });
});

// The live half: the filter loaded by the real bwrap (CI installs bubblewrap; no skip).
const dir = mkdtempSync(join("/var/tmp", "nl-seccomp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inSandbox(script: string) {
  const bwrap = findBwrap();
  if (bwrap === null) throw new Error("bwrap is not installed (apt install bubblewrap)");
  const opts = bwrapArgs({
    cwd: dir,
    writable: [],
    hidden: [],
    env: sandboxEnv(),
    tmpSizeBytes: 1 << 20,
    seccompFd: 3,
  });
  return spawnSync(
    "/bin/sh",
    ["-c", `exec "$0" "$@" 3<"${seccompFilterFile()}"`, bwrap, ...opts, "--", "/bin/sh", "-c", script],
    { encoding: "utf8" },
  );
}

/** The system python: a version manager's shim (pyenv) takes seconds to start. */
const PY = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const PY_UNIX = (path: string) =>
  `${PY} -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("${path}"); print("connected")'`;
const PSQL = `psql -h /var/run/postgresql -U postgres -d test -tAc "select 42"`;

describe("seccomp filter in a real bubblewrap sandbox", () => {
  it("is in force", () => {
    expect(inSandbox("grep Seccomp: /proc/self/status").stdout).toMatch(/Seccomp:\s*2/);
  });

  it("refuses Unix sockets: Postgres over its socket works outside, not inside", () => {
    // Outside, the socket is reached: the answer, or the server's own refusal where its
    // pg_hba.conf wants another user (either way a connection was made).
    const out = spawnSync("/bin/sh", ["-c", PSQL], { encoding: "utf8" });
    expect(`${out.stdout}${out.stderr}`).toMatch(/^42$|FATAL/m);
    const r = inSandbox(PSQL);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain("42");
    expect(r.stderr).toContain("could not create socket: Permission denied");
  });

  it("refuses python connecting a Unix socket, allows socketpair and inet sockets", () => {
    const pg = "/var/run/postgresql/.s.PGSQL.5432";
    expect(execFileSync("/bin/sh", ["-c", PY_UNIX(pg)], { encoding: "utf8" })).toContain("connected");
    const r = inSandbox(PY_UNIX(pg));
    expect(r.stdout).not.toContain("connected");
    expect(r.stderr).toContain("PermissionError");
    const ok = inSandbox(
      `${PY} -c 'import socket; a, b = socket.socketpair(); a.send(b"hi"); print(b.recv(2)); socket.socket(socket.AF_INET); print("inet")'`,
    );
    expect(ok.stdout).toBe("b'hi'\ninet\n");
  });

  it("refuses keyctl", () => {
    const r = inSandbox(
      `${PY} -c 'import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); r = libc.syscall(250 if os.uname().machine == "x86_64" else 219, 0, -3, 0); print(r, ctypes.get_errno())'`,
    );
    expect(r.stdout.trim()).toBe("-1 1");
  });
});
