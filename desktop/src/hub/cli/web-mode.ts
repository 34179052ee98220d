import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { HubApi } from "../bridge/api-contract";
import { type BridgeServer, startBridgeServer } from "../bridge/bridge-server";

/** Where `npm run build:web` puts the desktop UI for web mode. */
export const WEB_ROOT = fileURLToPath(new URL("../../../dist/web", import.meta.url));

/** Serves the desktop UI on loopback for a browser; null (with the reason) when it has not been built. */
export async function startWebMode(api: HubApi, log: Logger): Promise<{ server: BridgeServer } | { missing: string }> {
  if (!existsSync(WEB_ROOT)) return { missing: `the web UI is not built (${WEB_ROOT}); run: npm run build` };
  return { server: await startBridgeServer({ api, webRoot: WEB_ROOT, log }) };
}
