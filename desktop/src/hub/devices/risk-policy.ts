import type { DeviceRiskPolicy } from "../api";
import { normalizePolicy, PolicyConfigError } from "@neural-link/shared/policy";
import { HubError } from "../hub-error";
import type { RiskPolicy } from "../store";

/**
 * A device's risk overrides as the person entered them, made ready to store
 * (shared's `normalizePolicy`); what the classifier would refuse to read is a
 * `bad_params` error at this boundary.
 */
export function normalizeRiskPolicy(policy: DeviceRiskPolicy): RiskPolicy {
  try {
    return normalizePolicy(policy);
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new HubError("bad_params", err.message);
    throw err;
  }
}

/** The stored policy as the UI shows it: the same lists, copied so callers cannot alias the record. */
export function uiRiskPolicy(stored: RiskPolicy): DeviceRiskPolicy {
  const out: DeviceRiskPolicy = {};
  if (stored.allow) out.allow = [...stored.allow];
  if (stored.high) out.high = [...stored.high];
  if (stored.forbid) out.forbid = [...stored.forbid];
  return out;
}
