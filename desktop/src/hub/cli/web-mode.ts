import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { HubApi } from "../api";
import { type BridgeServer, BridgeStartError, startBridgeServer } from "../bridge/bridge-server";
import { planWebAddress, saveWebAddress } from "../bridge/web-address";

/** Where `npm run build:web` puts the desktop UI for web mode. */
export const WEB_ROOT = fileURLToPath(new URL("../../../dist/web", import.meta.url));

export interface WebModeOptions {
  /** The hub's data directory, where the address (port and token) is kept. */
  dataDir: string;
  /** Replace the stored token: tabs opened with the old address are refused. */
  rotateToken: boolean;
  /** A port asked for on the command line; default the stored one. */
  port: number | undefined;
  /** Lines for the person (a changed address). */
  say(line: string): void;
}

/**
 * Serves the desktop UI on loopback for a browser, at the same address
 * (port and token) as last time, so an open tab reconnects after a restart.
 * When the stored port is taken, another is used and the person is told.
 * Null (with the reason) when the UI has not been built.
 */
export async function startWebMode(
  api: HubApi,
  log: Logger,
  opts: WebModeOptions,
): Promise<{ server: BridgeServer } | { missing: string }> {
  if (!existsSync(WEB_ROOT)) return { missing: `the web UI is not built (${WEB_ROOT}); run: npm run build` };
  const plan = planWebAddress(opts.dataDir, { rotate: opts.rotateToken, port: opts.port });
  let server: BridgeServer;
  try {
    server = await startBridgeServer({ api, webRoot: WEB_ROOT, log, token: plan.token, settings: { port: plan.port } });
  } catch (err) {
    if (!(err instanceof BridgeStartError) || err.code !== "EADDRINUSE" || plan.port === 0) throw err;
    opts.say(`Port ${plan.port} of the desktop UI is taken; using another one (open tabs must use the new address).`);
    server = await startBridgeServer({ api, webRoot: WEB_ROOT, log, token: plan.token, settings: { port: 0 } });
  }
  saveWebAddress(opts.dataDir, { port: server.port, token: server.token });
  if (plan.rotated && opts.rotateToken)
    opts.say("The desktop UI has a new token: addresses printed before no longer work.");
  return { server };
}
