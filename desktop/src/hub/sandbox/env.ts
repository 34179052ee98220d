/**
 * The environment of a sandboxed task. The hub's own environment is NOT passed on (it
 * may hold tokens, `SSH_AUTH_SOCK`, cloud credentials): the task gets only this
 * documented set, copied from the hub where the hub has it. It is also part of what the
 * task service records, so it must be deterministic for a given hub.
 *
 * - PATH, HOME, USER, LOGNAME, SHELL: so programs are found and know whose files these are
 * - LANG, LANGUAGE, LC_*, TZ: so output is in the user's language, encoding and time zone
 * - TERM, COLORTERM: the pty's terminal type (as executor/pty-process.ts sets it)
 * - PAGER=cat, GIT_PAGER=cat: nobody can page a task's output; a pager would wait for
 *   keys until the time limit (`git log` in a pty starts one)
 */

/** Used when the hub has no PATH of its own. */
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const COPIED = ["HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ"];

/**
 * The exact environment a sandboxed task starts with: the set above plus `extra`.
 *
 * @example sandboxEnv({ NL_X: "1" }) // { PATH: "/usr/bin:...", HOME: "/home/me", ..., NL_X: "1" }
 */
export function sandboxEnv(
  extra: Record<string, string> = {},
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = { PATH: from.PATH || DEFAULT_PATH };
  for (const k of COPIED) {
    const v = from[k];
    if (v) env[k] = v;
  }
  for (const k of Object.keys(from).sort()) {
    const v = from[k];
    if (k.startsWith("LC_") && v) env[k] = v;
  }
  env.TERM = "xterm-256color";
  env.COLORTERM = "truecolor";
  env.PAGER = "cat";
  env.GIT_PAGER = "cat";
  return { ...env, ...extra };
}
