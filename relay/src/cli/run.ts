/**
 * The relay as a program: parse settings, start, print where it listens,
 * and on SIGTERM/SIGINT drain (RECONNECT to every client) and exit 0.
 */
import { RelayConfigError, StorageError } from "../errors";
import { createLogger } from "../logger";
import { startRelay } from "../relay";
import { helpText, parseCli } from "./args";

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config;
  try {
    config = parseCli(argv, env);
  } catch (err) {
    console.error(`relay: ${err instanceof Error ? err.message : String(err)}\n\n${helpText()}`);
    return 2;
  }
  if (config.help) {
    console.log(helpText());
    return 0;
  }
  const logger = createLogger(config.logLevel);
  let relay;
  try {
    relay = await startRelay({ ...config.options, logger });
  } catch (err) {
    if (err instanceof RelayConfigError || err instanceof StorageError) {
      console.error(`relay: ${err.message}`);
      return 1;
    }
    throw err;
  }
  console.log(`relay listening on ${relay.url}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "draining");
      relay.drain().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err: err instanceof Error ? err.message : String(err) }, "drain failed");
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
