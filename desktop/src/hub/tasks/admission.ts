import type { Classification } from "../executor/policy";
import { DESKTOP } from "./approvals";
import type { SandboxSpec, SandboxStatus, TaskState } from "./ports";

/** Why a low verdict still asks when the desktop has no sandbox. */
export function noSandboxReason(status: SandboxStatus): string {
  // sandbox/detect.ts words it "No sandbox: <why>; every command asks for approval": keep the why.
  const why = /^No sandbox: (.*?)(?:; every command asks for approval)?$/.exec(status.reason)?.[1] ?? status.reason;
  return `no sandbox on this desktop (${why}), so every command asks`;
}

export interface Admission {
  risk: Classification["risk"];
  reasons: string[];
  state: TaskState;
  /** The sandbox a task that runs at once runs in; null: full rights (desktop, or approved). */
  sandbox: SandboxSpec | null;
}

/**
 * What happens to a classified command (docs/risk-policy.md, "What runs where"):
 * forbidden never runs; a device's low command runs at once only inside the OS sandbox
 * (the device's granted folders writable, else read-only; the hub's data hidden), and
 * asks like a high one when there is no sandbox; the desktop's own low command runs at
 * once with the user's rights; everything else waits for approval.
 */
export function admit(verdict: Classification, requestedBy: string, sandbox: SandboxStatus, grants: readonly string[], hidden: readonly string[]): Admission {
  const { risk, reasons } = verdict;
  switch (risk) {
    case "forbidden":
      return { risk, reasons, state: "rejected", sandbox: null };
    case "high":
      return { risk, reasons, state: "awaiting_approval", sandbox: null };
    case "low":
      if (requestedBy === DESKTOP) return { risk, reasons, state: "running", sandbox: null };
      if (!sandbox.available) return { risk: "high", reasons: [noSandboxReason(sandbox), ...reasons], state: "awaiting_approval", sandbox: null };
      return {
        risk,
        reasons,
        state: "running",
        sandbox: grants.length > 0 ? { mode: "workspace", writable: [...grants], hidden: [...hidden] } : { mode: "read-only", writable: [], hidden: [...hidden] },
      };
    default: {
      const never: never = risk;
      throw new Error(`unknown risk ${String(never)}`);
    }
  }
}

/** The reasons of a task re-run without the sandbox (`tasks.escalate`). */
export function escalationReasons(blocked: string | null, previous: readonly string[]): string[] {
  const what = blocked === "write" ? "a write" : blocked === "network" ? "a network call" : "what it needed";
  return [`re-run without the sandbox, which stopped ${what}: it will run with your full rights`, ...previous.filter((r) => !r.startsWith("no sandbox on this desktop"))];
}

/** The reason every terminal request carries on its approval card. */
export const TERMINAL_REASON = "a terminal gives full access to your desktop; the risk policy and sandbox do not apply";
