import { childEnv } from "../executor/pty-process";

/**
 * The environment a task or terminal gets when it runs with the user's full rights:
 * exactly what executor/pty-process.ts gives an unsandboxed child (the hub's own, plus
 * the pty's terminal type). An approval's digest covers it, so an approval given under
 * one environment does not start the task under another.
 */
export function fullRightsEnv(): Record<string, string> {
  return childEnv(undefined);
}
