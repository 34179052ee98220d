/**
 * The executor: the generic process primitives on node-pty (spawn, session kill,
 * output ring, drain marker). One-shot tasks
 * (tasks/task-process.ts) and interactive terminals (terminals/pty-terminals.ts)
 * are built on these in their own folders; the risk policy is pure and lives
 * in shared (@neural-link/shared/policy), so the UIs can preview it.
 */
export { ExecutorError, type ExecutorErrorCode } from "./errors";
export { defaultExecutorSettings, resolveExecutorSettings, type ExecutorSettings } from "./settings";
