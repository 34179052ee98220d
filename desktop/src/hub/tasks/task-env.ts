/**
 * The environment a task or terminal gets when it runs with the user's full rights:
 * the hub's own, plus the terminal type the pty sets (executor/pty-process.ts). An
 * approval's digest covers it, so an approval given under one environment does not
 * start the task under another.
 */
export function fullRightsEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.TERM = "xterm-256color";
  env.COLORTERM = "truecolor";
  return env;
}
