import type { ClientLog } from "@neural-link/shared/client";

/**
 * The web apps' log (desktop renderer, phone app, its service worker): the
 * browser console is the only log a page has. Same shape as the pino
 * loggers of the Node code, so shared code takes either. `debug` is for
 * failures that are expected and repaired elsewhere (hidden by default in
 * the console); `warn` for what a person may want to know when something
 * looks wrong. Never pass keys, tokens or plaintext.
 */
/* eslint-disable no-console -- this is the one place the web apps write to the console */
export const browserLog: ClientLog = {
  debug: (obj, msg) => console.debug(msg ?? "", obj),
  info: (obj, msg) => console.info(msg ?? "", obj),
  warn: (obj, msg) => console.warn(msg ?? "", obj),
  error: (obj, msg) => console.error(msg ?? "", obj),
};
/* eslint-enable no-console */

/**
 * A `.catch` handler that logs what failed, with context, at `level`.
 *
 * @example link.send(t, d, 0).catch(logFailure("notes message not sent (repaired by the next sync)", { t }));
 */
export function logFailure(
  what: string,
  context: object = {},
  level: "debug" | "warn" = "warn",
): (err: unknown) => void {
  return (err) => browserLog[level]({ ...context, err: err instanceof Error ? err.message : String(err) }, what);
}
