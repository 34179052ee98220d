/**
 * The executor: the generic process primitives on node-pty (spawn, session kill,
 * output ring, coalescer, drain marker) and the risk policy. One-shot tasks
 * (tasks/task-process.ts) and interactive terminals (terminals/pty-terminals.ts)
 * are built on these in their own folders.
 */
export { ExecutorError, type ExecutorErrorCode } from "./errors";
export { classify, CompiledPolicy, PolicyConfigError, type Classification, type Risk, type RiskPolicy } from "./policy";
export { defaultExecutorSettings, resolveExecutorSettings, type ExecutorSettings } from "./settings";
