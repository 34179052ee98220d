/**
 * The OS sandbox low-risk device commands run in without approval (docs/risk-policy.md,
 * "The sandbox"): bubblewrap + a seccomp filter on Linux, sandbox-exec on macOS.
 * Plain Node; never imports electron.
 *
 * Hub wiring: `const status = await detectSandbox()` once at start; give `status` to the
 * task service and `sandboxInfo(status)` to `hub.info`; the task service passes
 * `{ status, spec }` as executor `runTask`'s `sandbox` option and reads the result's
 * `sandboxBlocked`.
 */
import type { SandboxInfo } from "@neural-link/shared/app";
export { detectSandbox, type DetectOptions } from "./detect";
export { sandboxEnv } from "./env";
export { SandboxError, type SandboxErrorCode } from "./errors";
export { sandboxFailure } from "./failure";
export { sandboxLaunch } from "./launcher";
export { SANDBOX_DEFAULTS, type SandboxSettings } from "./settings";
export type { LaunchSpec, SandboxBlocked, SandboxKind, SandboxLaunch, SandboxSpec, SandboxStatus } from "./types";

/** The status as `hub.info` sends it (shared `sandboxInfoSchema`), nothing more. */
export function sandboxInfo(status: SandboxInfo): SandboxInfo {
  return { kind: status.kind, available: status.available, reason: status.reason };
}
