import { RISK_POLICY_LISTS, type RiskPolicy as DeviceRiskPolicy } from "./types";

/** A risk policy as the editor shows it: one text per list, one entry per line. */
export type RiskPolicyText = Record<(typeof RISK_POLICY_LISTS)[number], string>;

/** One entry per line; blank lines and surrounding spaces are dropped. */
export function parseEntries(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function policyToText(policy: DeviceRiskPolicy): RiskPolicyText {
  return {
    allow: (policy.allow ?? []).join("\n"),
    high: (policy.high ?? []).join("\n"),
    forbid: (policy.forbid ?? []).join("\n"),
  };
}

/** The editor's texts as a policy; an empty list is left out, as the hub stores it. */
export function textToPolicy(text: RiskPolicyText): DeviceRiskPolicy {
  const policy: DeviceRiskPolicy = {};
  for (const k of RISK_POLICY_LISTS) {
    const entries = parseEntries(text[k]);
    if (entries.length > 0) policy[k] = entries;
  }
  return policy;
}

/** True when the texts say the same as the policy (ignoring blank lines and spaces around entries). */
export function samePolicy(text: RiskPolicyText, policy: DeviceRiskPolicy): boolean {
  const parsed = textToPolicy(text);
  return RISK_POLICY_LISTS.every((k) => (parsed[k] ?? []).join("\n") === (policy[k] ?? []).join("\n"));
}

/** How many override entries a policy has, for a collapsed summary. */
export function overrideCount(policy: DeviceRiskPolicy): number {
  return RISK_POLICY_LISTS.reduce((n, k) => n + (policy[k]?.length ?? 0), 0);
}
