import type { Logger } from "pino";
import { runTask, type RunTaskOptions } from "./task-process";
import type { ExecutorSettings } from "../executor/settings";
import type { CommandRunner } from "./ports";

/** The task service's way to run a command: tasks/task-process.ts, inside the sandbox when one is given. */
export function defaultCommandRunner(settings: ExecutorSettings, log: Logger): CommandRunner {
  return async (o) => {
    const opts: RunTaskOptions = {
      command: o.command,
      cwd: o.cwd,
      timeoutMs: o.timeoutMs,
      onOutput: o.onOutput,
      settings,
      log,
      ...(o.sandbox ? { sandbox: o.sandbox } : {}),
    };
    return runTask(opts);
  };
}
