import { CompiledPolicy } from "./config";
import { RISK_POLICY_LISTS, type RiskPolicy } from "./types";

/**
 * A device's overrides as the person entered them, made ready to store:
 * entries trimmed with inner whitespace collapsed (the classifier compares
 * words), duplicates and empty lists dropped, then compiled so nothing is
 * stored that the classifier would refuse to read.
 *
 * @throws PolicyConfigError for too many or too long entries, or an empty one.
 * @example normalizePolicy({ allow: [" make ", "git   push"] }) // { allow: ["make", "git push"] }
 */
export function normalizePolicy(policy: RiskPolicy): RiskPolicy {
  const out: RiskPolicy = {};
  for (const key of RISK_POLICY_LISTS) {
    const list = policy[key];
    if (list === undefined) continue;
    const entries = [...new Set(list.map((e) => e.trim().split(/\s+/).filter(Boolean).join(" ")))];
    if (entries.length > 0) out[key] = entries;
  }
  CompiledPolicy.from(out);
  return out;
}
