export { classify, CLASSIFY_LIMITS, type ClassifyOptions } from "./classify";
export { CompiledPolicy, PolicyConfigError, POLICY_LIMITS } from "./config";
export { knownPrograms } from "./rule-table";
export { maxRisk, type Classification, type Finding, type Risk, type RiskPolicy } from "./types";
