import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../test-support/chromium";
import { buildWebUi } from "../e2e/build-web";
import { type BridgeServer, startBridgeServer } from "../src/hub/bridge/bridge-server";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode, type HubNodeConfig } from "../src/hub/hub-node";

/** The desktop UI as a user sees it: Chromium on the web-mode page, bridged to a real HubNode on a real relay. */
export interface DesktopUiRig {
  dir: string;
  relay: EmbeddedRelay;
  hub: HubNode;
  server: BridgeServer;
  browser: Browser;
  page: Page;
  /** Closes the browser, the bridge, the hub and the relay, and removes the folder. */
  close(): Promise<void>;
}

export interface DesktopUiOptions {
  /** Prefix of the temp folder the relay and the hub keep their data in. */
  prefix: string;
  log: Logger;
  /** The hub's settings; its data folder, relay and logger are the rig's. */
  hub: (dir: string) => Omit<HubNodeConfig, "dataDir" | "relay" | "log">;
  /** Runs once the hub is online, before the page opens (e.g. pairing a phone). */
  beforePage?: (hub: HubNode, relay: EmbeddedRelay, dir: string) => Promise<void>;
  viewport: { width: number; height: number };
  timeoutMs: number;
}

export async function startDesktopUi(options: DesktopUiOptions): Promise<DesktopUiRig> {
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  const webRoot = await buildWebUi();
  const relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
  const hub = await HubNode.start({ ...options.hub(dir), dataDir: join(dir, "hub"), relay: relay.localUrl, log });
  await hub.whenOnline();
  await options.beforePage?.(hub, relay, dir);
  const server = await startBridgeServer({ api: hub, webRoot, log });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: options.viewport });
  page.setDefaultTimeout(options.timeoutMs);
  await page.goto(server.url);
  return {
    dir,
    relay,
    hub,
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
      await hub.stop();
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
