/** The executor: risk policy, one-shot tasks and interactive terminals on node-pty. */
export { ExecutorError, type ExecutorErrorCode } from "./errors";
export { classify, CompiledPolicy, PolicyConfigError, type Classification, type Risk, type RiskPolicy } from "./policy";
export { runTask, type RunTaskOptions, type TaskRun, type TaskRunResult } from "./run-task";
export { defaultExecutorSettings, resolveExecutorSettings, type ExecutorSettings } from "./settings";
export { TerminalManager, type OpenTerminalRequest, type TerminalExitEvent, type TerminalInfo, type TerminalOutputEvent } from "./terminals";
