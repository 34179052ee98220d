import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { bwrapArgs } from "./bwrap-args";
import { sandboxEnv } from "./env";
import { SandboxError } from "./errors";
import { macosProfile } from "./macos-profile";
import { buildSeccompFilter, isSeccompArch } from "./seccomp";
import { resolveSandboxSettings, type SandboxSettings } from "./settings";
import type { SandboxInfo } from "@neural-link/shared/app";
import type { LaunchSpec, SandboxKind, SandboxLaunch, SandboxSpec } from "./types";

/**
 * node-pty passes only fds 0-2, and bwrap reads its seccomp filter from a file
 * descriptor: a tiny /bin/sh opens the filter file as fd 3 and execs bwrap. The paths
 * arrive as arguments, never spliced into the script.
 */
const LAUNCH_SCRIPT = `f=$1; b=$2; shift 2; exec "$b" "$@" 3<"$f"`;
const SECCOMP_FD = 3;
/** O_CLOEXEC as /proc/self/fdinfo prints it (octal flags). */
const O_CLOEXEC = 0o2000000;

/**
 * File descriptors above 2 the hub inherited without close-on-exec (Node opens its own
 * with it): they would be inherited by the pty child and so by the sandbox, where a
 * leaked Unix socket would get around the seccomp rule. None in the usual case.
 */
export function leakyFds(): number[] {
  let names: string[];
  try {
    names = readdirSync("/proc/self/fd");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (fd <= 2) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"));
      if (flags && (parseInt(flags[1], 8) & O_CLOEXEC) === 0) out.push(fd);
    } catch {
      // Closed meanwhile (the directory listing's own fd, for one).
    }
  }
  return out;
}

/**
 * The launcher shell and script. dash (/bin/sh) cannot name fds above 9 in a
 * redirection, so when the hub holds leaky fds, bash closes them before exec.
 */
function launcher(): { shell: string; script: string } {
  const leaky = leakyFds();
  if (leaky.length === 0) return { shell: "/bin/sh", script: LAUNCH_SCRIPT };
  return { shell: "/bin/bash", script: `${leaky.map((fd) => `exec ${fd}>&-;`).join(" ")} ${LAUNCH_SCRIPT}` };
}

/** Where bwrap is looked for first, before the hub's PATH (a PATH entry could be user-writable). */
const BWRAP_PATHS = ["/usr/bin/bwrap", "/usr/local/bin/bwrap"];

/** Finds an executable bwrap, or null. */
export function findBwrap(path: string | undefined = process.env.PATH): string | null {
  const candidates = [
    ...BWRAP_PATHS,
    ...(path ?? "")
      .split(delimiter)
      .filter((d) => isAbsolute(d))
      .map((d) => join(d, "bwrap")),
  ];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // Not here.
    }
  }
  return null;
}

let filterDir: string | null = null;

/**
 * The seccomp filter's file (0600 in a private 0700 folder, written once per hub
 * process and again if something removed it, e.g. a /tmp cleaner; removed when the
 * process exits).
 */
export function seccompFilterFile(): string {
  if (!isSeccompArch(process.arch))
    throw new SandboxError("unavailable", `no seccomp filter for the ${process.arch} architecture`);
  if (filterDir === null || !existsSync(filterDir)) {
    if (filterDir === null)
      process.once("exit", () => filterDir && rmSync(filterDir, { recursive: true, force: true }));
    filterDir = mkdtempSync(join(tmpdir(), "nl-sandbox-"));
  }
  const file = join(filterDir, `seccomp-${process.arch}.bpf`);
  if (!existsSync(file)) writeFileSync(file, buildSeccompFilter(process.arch), { mode: 0o600 });
  return file;
}

const real = (p: string): string | null => {
  if (!isAbsolute(p)) throw new SandboxError("bad_spec", `sandbox path ${p} is not absolute`);
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
};

function checkSpec(spec: SandboxSpec): void {
  if (spec.mode !== "read-only" && spec.mode !== "workspace")
    throw new SandboxError("bad_spec", `unknown sandbox mode ${String(spec.mode)}`);
  if (spec.mode === "read-only" && spec.writable.length > 0)
    throw new SandboxError("bad_spec", "a read-only sandbox has no writable folders");
}

function bubblewrapLaunch(spec: SandboxSpec, run: LaunchSpec, settings: SandboxSettings): SandboxLaunch {
  const bwrap = settings.bwrapPath ?? findBwrap();
  if (bwrap === null) throw new SandboxError("unavailable", "bwrap is not installed");
  const env = sandboxEnv(run.env);
  // Paths that do not exist are left out: nothing to write to, nothing to hide.
  const writable = spec.writable.map(real).filter((p): p is string => p !== null && statSync(p).isDirectory());
  const hidden = spec.hidden.flatMap((p) => {
    const r = real(p);
    return r === null ? [] : [{ path: r, dir: statSync(r).isDirectory() }];
  });
  const cwd = real(run.cwd) ?? run.cwd;
  const opts = bwrapArgs({ cwd, writable, hidden, env, tmpSizeBytes: settings.tmpSizeBytes, seccompFd: SECCOMP_FD });
  const { shell, script } = launcher();
  return {
    file: shell,
    args: ["-c", script, "nl-sandbox", seccompFilterFile(), bwrap, ...opts, "--", run.file, ...run.args],
    env,
    cleanup: () => undefined,
  };
}

function sandboxExecLaunch(spec: SandboxSpec, run: LaunchSpec): SandboxLaunch {
  // sandbox-exec has no private mounts: each run gets its own temp folder, removed afterwards.
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), "nl-task-")));
  const writable = spec.writable.map(real).filter((p): p is string => p !== null);
  const hidden = spec.hidden.map(real).filter((p): p is string => p !== null);
  const profile = macosProfile({ tmp, writable, hidden });
  const env = { ...sandboxEnv(run.env), TMPDIR: `${tmp}/` };
  return {
    file: "/usr/bin/sandbox-exec",
    args: ["-p", profile, run.file, ...run.args],
    env,
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

/**
 * Wraps `run` so it starts inside the sandbox; spawn the result with exactly its `env`.
 * Throws SandboxError("unavailable") when `status` has no working sandbox: the caller
 * must then ask for approval, never run the command unsandboxed instead.
 *
 * @example const l = sandboxLaunch(status, { mode: "read-only", writable: [], hidden: [dataDir] }, { file: "/bin/sh", args: ["-c", "ls"], cwd: home });
 */
export function sandboxLaunch(
  status: SandboxInfo,
  spec: SandboxSpec,
  run: LaunchSpec,
  settings: Partial<SandboxSettings> = {},
): SandboxLaunch {
  if (!status.available) throw new SandboxError("unavailable", `no sandbox: ${status.reason}`);
  checkSpec(spec);
  const kind = status.kind as SandboxKind;
  switch (kind) {
    case "bubblewrap":
      return bubblewrapLaunch(spec, run, resolveSandboxSettings(settings));
    case "sandbox-exec":
      return sandboxExecLaunch(spec, run);
    case "none":
      throw new SandboxError("unavailable", "no sandbox on this system");
    default: {
      const never: never = kind;
      throw new SandboxError("unavailable", `unknown sandbox kind ${String(never)}`);
    }
  }
}
