/**
 * The logging surface the client needs. A pino logger fits it; shared code
 * cannot import pino itself (it runs in browsers too).
 */
export interface ClientLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => {};

/** The default: says nothing. */
export const silentLog: ClientLog = { debug: noop, info: noop, warn: noop, error: noop };
