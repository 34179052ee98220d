import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { pino, type Logger } from "pino";
import { findBwrap, sandboxLaunch } from "./launcher";
import { isSeccompArch } from "./seccomp";
import { resolveSandboxSettings, type SandboxSettings } from "./settings";
import type { SandboxKind, SandboxStatus } from "./types";

export interface DetectOptions {
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform;
  settings?: Partial<SandboxSettings>;
  log?: Logger;
}

const ASKS = "every command asks for approval";
const READY: Record<Exclude<SandboxKind, "none">, string> = {
  bubblewrap: "Low-risk commands run in a bubblewrap sandbox: read-only files, no network, private /tmp",
  "sandbox-exec":
    "Low-risk commands run in a macOS sandbox-exec sandbox: read-only files, no network, private temp folder",
};

const none = (kind: SandboxKind, why: string): SandboxStatus => ({
  kind,
  available: false,
  reason: `No sandbox: ${why}; ${ASKS}`,
});

/** The probe: passes only if the seccomp filter is in force inside. */
const PROBE = ["-c", 'grep -q "^Seccomp:[[:space:]]*2" /proc/self/status'];

/** Runs a trivial command through the real launch path; resolves to null on success, else the cause. */
function probe(
  kind: Exclude<SandboxKind, "none">,
  file: string,
  args: string[],
  settings: SandboxSettings,
): Promise<string | null> {
  const timeoutMs = settings.probeTimeoutMs;
  return new Promise((resolve) => {
    let launch;
    try {
      launch = sandboxLaunch(
        { kind, available: true, reason: "probe" },
        { mode: "read-only", writable: [], hidden: [] },
        { file, args, cwd: "/" },
        settings,
      );
    } catch (err) {
      resolve((err as Error).message);
      return;
    }
    const child = spawn(launch.file, launch.args, { env: launch.env, cwd: "/", stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-2000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      launch.cleanup();
      resolve(err.message);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      launch.cleanup();
      const firstLine = stderr.trim().split("\n")[0] ?? "";
      if (code === 0) resolve(null);
      else if (signal === "SIGKILL") resolve(`it did not start within ${timeoutMs} ms`);
      else
        resolve(
          firstLine
            ? firstLine.replace(/^bwrap: /, "")
            : `the test command exited with status ${String(code ?? signal)}`,
        );
    });
  });
}

/**
 * Finds the OS sandbox and proves it works by running a trivial command in it with the
 * real arguments (a bwrap that cannot create namespaces, as under Ubuntu's AppArmor
 * restriction or in some containers, is reported unavailable with the cause). Call once
 * at hub start; pass the result to the task service and `hub.info` (`sandboxInfo`).
 *
 * @example const status = await detectSandbox(); // { kind: "bubblewrap", available: true, reason: "Low-risk commands run in ..." }
 */
export async function detectSandbox(opts: DetectOptions = {}): Promise<SandboxStatus> {
  const platform = opts.platform ?? process.platform;
  const settings = resolveSandboxSettings(opts.settings);
  const log = (opts.log ?? pino()).child({ mod: "hub/sandbox/detect" });
  let status: SandboxStatus;
  if (platform === "linux") {
    if ((settings.bwrapPath ?? findBwrap()) === null)
      status = none("bubblewrap", "bwrap is not installed (apt install bubblewrap)");
    else if (!isSeccompArch(process.arch))
      status = none(
        "bubblewrap",
        `the ${process.arch} processor architecture is not supported by the sandbox's system-call filter`,
      );
    else {
      const cause = await probe("bubblewrap", "/bin/sh", PROBE, settings);
      status =
        cause === null
          ? { kind: "bubblewrap", available: true, reason: READY.bubblewrap }
          : none("bubblewrap", `bwrap is installed but cannot start a sandbox here (${cause})`);
    }
  } else if (platform === "darwin") {
    if (!existsSync("/usr/bin/sandbox-exec")) status = none("sandbox-exec", "/usr/bin/sandbox-exec is missing");
    else {
      const cause = await probe("sandbox-exec", "/usr/bin/true", [], settings);
      status =
        cause === null
          ? { kind: "sandbox-exec", available: true, reason: READY["sandbox-exec"] }
          : none("sandbox-exec", `sandbox-exec cannot start a sandbox here (${cause})`);
    }
  } else status = none("none", `there is no supported sandbox on ${platform}`);
  log.info({ kind: status.kind, available: status.available }, status.reason);
  return status;
}
