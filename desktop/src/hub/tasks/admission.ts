import { outcomeOf, type Classification } from "@neural-link/shared/policy";
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
export function admit(
  verdict: Classification,
  requestedBy: string,
  sandbox: SandboxStatus,
  grants: readonly string[],
  hidden: readonly string[],
): Admission {
  const { risk, reasons } = verdict;
  // The decision table is shared with the UIs' previews (shared/src/policy/preview.ts).
  const outcome = outcomeOf(risk, requestedBy === DESKTOP, sandbox.available);
  switch (outcome) {
    case "refused":
      return { risk, reasons, state: "rejected", sandbox: null };
    case "asks":
      // A low command asks only when there is no sandbox: it then counts as high, and says why.
      if (risk === "low")
        return {
          risk: "high",
          reasons: [noSandboxReason(sandbox), ...reasons],
          state: "awaiting_approval",
          sandbox: null,
        };
      return { risk, reasons, state: "awaiting_approval", sandbox: null };
    case "runs-now":
      return { risk, reasons, state: "running", sandbox: null };
    case "sandbox":
      return {
        risk,
        reasons,
        state: "running",
        sandbox:
          grants.length > 0
            ? { mode: "workspace", writable: [...grants], hidden: [...hidden] }
            : { mode: "read-only", writable: [], hidden: [...hidden] },
      };
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${String(never)}`);
    }
  }
}

/** The reasons of a task re-run without the sandbox (`tasks.escalate`). */
export function escalationReasons(blocked: string | null, previous: readonly string[]): string[] {
  const what = blocked === "write" ? "a write" : blocked === "network" ? "a network call" : "what it needed";
  return [
    `re-run without the sandbox, which stopped ${what}: it will run with your full rights`,
    ...previous.filter((r) => !r.startsWith("no sandbox on this desktop")),
  ];
}

/** The reason every terminal request carries on its approval card. */
export const TERMINAL_REASON = "a terminal gives full access to your desktop; the risk policy and sandbox do not apply";
