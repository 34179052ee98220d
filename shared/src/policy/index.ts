/**
 * The risk policy: a pure classifier of shell command lines (no `node:`, no
 * DOM), the per-device overrides, and the preview the UIs show while a command
 * is typed. The hub judges every task with it (desktop/src/hub/tasks); the
 * desktop renderer and the phone app use the same code for the preview.
 * docs/risk-policy.md describes the rules.
 */
export { classify, CLASSIFY_LIMITS, type ClassifyOptions } from "./classify";
export { CompiledPolicy, PolicyConfigError, POLICY_LIMITS } from "./config";
export { normalizePolicy } from "./device-policy";
export {
  overrideCount,
  parseEntries,
  policyToText,
  samePolicy,
  textToPolicy,
  type RiskPolicyText,
} from "./policy-text";
export {
  OUTCOME_WORDS,
  outcomeOf,
  PREVIEW_DEFAULTS,
  previewCommand,
  type Outcome,
  type Preview,
  type PreviewContext,
} from "./preview";
export { knownPrograms } from "./rule-table";
export { maxRisk, RISK_POLICY_LISTS, type Classification, type Finding, type Risk, type RiskPolicy } from "./types";
