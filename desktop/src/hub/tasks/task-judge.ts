import { realpath } from "node:fs/promises";
import type { Logger } from "pino";
import { classify, CompiledPolicy, type Classification, type RiskPolicy } from "@neural-link/shared/policy";
import { approvalDigest } from "./approvals";

export interface JudgeDeps {
  policyFor(device: string): RiskPolicy | undefined | Promise<RiskPolicy | undefined>;
  /** The environment a full-rights run gets. */
  env(): Record<string, string>;
  home: string;
  defaultCwd: string;
  log: Logger;
}

/**
 * Classifies a command with the requesting device's policy. A policy that cannot be read
 * may hold "forbid" rules, so it is never treated as permission: low becomes high.
 */
export async function judge(
  deps: JudgeDeps,
  command: string,
  cwd: string | null,
  device: string,
): Promise<Classification> {
  let policy = CompiledPolicy.EMPTY;
  let broken = false;
  try {
    policy = CompiledPolicy.from(await deps.policyFor(device));
  } catch (err) {
    deps.log.warn({ err, device }, "unreadable device policy; using the built-in table and asking for approval");
    broken = true;
  }
  const verdict = classify(command, { policy, home: deps.home, cwd: cwd ?? deps.defaultCwd });
  if (broken && verdict.risk === "low")
    return { risk: "high", reasons: ["this device's policy could not be read, so approval is required"] };
  return verdict;
}

/** The approval digest (approvals.ts) of running `command` in `cwd` with full rights, as of now. */
export async function digestNow(
  deps: Pick<JudgeDeps, "env" | "defaultCwd">,
  command: string,
  cwd: string | null,
): Promise<string> {
  const dir = cwd ?? deps.defaultCwd;
  // Bound to where the directory really is: retargeting a symlink changes the digest.
  const real = await realpath(dir).catch(() => dir);
  return approvalDigest({ command, cwd: real, env: deps.env() });
}
