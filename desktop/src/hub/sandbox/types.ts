import type { SandboxInfo } from "@neural-link/shared/app";

/** Which OS sandbox: bubblewrap on Linux, sandbox-exec on macOS, or none. */
export type SandboxKind = "bubblewrap" | "sandbox-exec" | "none";

/**
 * The sandbox in force, found once at hub start (`detectSandbox()`); the shape of
 * `hub.info`'s `sandbox` field (shared `sandboxInfoSchema`). `available: false` means
 * nothing may run without approval; `reason` says why in plain words for the UIs.
 */
export interface SandboxStatus extends SandboxInfo {
  kind: SandboxKind;
}

/**
 * What one sandboxed run may touch. The whole filesystem is read-only except a
 * private /tmp and, in "workspace" mode, the `writable` folders (workspace grants);
 * `hidden` paths (always the hub's data directory) read as empty. No network in
 * either mode.
 */
export interface SandboxSpec {
  mode: "read-only" | "workspace";
  /** Absolute folders writable inside the sandbox; must be empty in "read-only" mode. */
  writable: string[];
  /** Absolute paths masked inside the sandbox (a folder reads as empty, a file as /dev/null). */
  hidden: string[];
}

/** What the sandbox stopped when a sandboxed run failed because of it. */
export type SandboxBlocked = "write" | "network";

/** A program and its environment, before or after wrapping in the sandbox. */
export interface LaunchSpec {
  file: string;
  args: string[];
  /** Working directory (absolute, existing). */
  cwd: string;
  /** Variables added to the sandbox's minimal environment (`sandboxEnv`). */
  env?: Record<string, string>;
}

/** The wrapped launch: spawn `file args` with exactly `env` (nothing inherited). */
export interface SandboxLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Removes per-run state (macOS: the private temp folder); call once the run has ended. */
  cleanup(): void;
}
