import type { DeviceRiskPolicy } from "../api";
import { CompiledPolicy, PolicyConfigError } from "../executor/policy";
import { HubError } from "../hub-error";
import type { RiskPolicy } from "../store";

/**
 * A device's risk overrides as the person entered them, made ready to store:
 * entries trimmed with inner whitespace collapsed (the classifier compares
 * words), duplicates and empty lists dropped, then checked by the classifier
 * itself so nothing is stored that it would refuse to read.
 */
export function normalizeRiskPolicy(policy: DeviceRiskPolicy): RiskPolicy {
  const out: RiskPolicy = {};
  for (const key of ["allow", "high", "forbid"] as const) {
    const list = policy[key];
    if (list === undefined) continue;
    const entries = [...new Set(list.map((e) => e.trim().split(/\s+/).filter(Boolean).join(" ")))];
    if (entries.length > 0) out[key] = entries;
  }
  try {
    CompiledPolicy.from(out);
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new HubError("bad_params", err.message);
    throw err;
  }
  return out;
}

/** The stored policy as the UI shows it: the same lists, copied so callers cannot alias the record. */
export function uiRiskPolicy(stored: RiskPolicy): DeviceRiskPolicy {
  const out: DeviceRiskPolicy = {};
  if (stored.allow) out.allow = [...stored.allow];
  if (stored.high) out.high = [...stored.high];
  if (stored.forbid) out.forbid = [...stored.forbid];
  return out;
}
