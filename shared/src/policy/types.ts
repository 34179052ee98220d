import type { Risk } from "../app/task";

/**
 * How dangerous a command is: "low" runs at once, "high" waits for approval, "forbidden" never runs (the wire's
 * `Risk`).
 */
export type { Risk };

/** Per-device overrides: program names or command prefixes ("git push", "make") that move a command's class. */
export interface RiskPolicy {
  allow?: string[];
  high?: string[];
  forbid?: string[];
}
/** The lists of a `RiskPolicy`, from the most to the least permissive. */
export const RISK_POLICY_LISTS = ["allow", "high", "forbid"] as const satisfies readonly (keyof RiskPolicy)[];

/** The verdict for a whole command line. */
export interface Classification {
  risk: Risk;
  /** Human-readable reasons for the verdict (the findings at the verdict's level). */
  reasons: string[];
}

/** One observation about one part of a command line. */
export interface Finding {
  risk: Risk;
  reason: string;
}

const ORDER: Record<Risk, number> = { low: 0, high: 1, forbidden: 2 };

/** The stricter of two classes. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return ORDER[a] >= ORDER[b] ? a : b;
}

export function riskRank(r: Risk): number {
  return ORDER[r];
}
