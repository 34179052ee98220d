import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/**
 * Chromium for the end-to-end tests of both apps (desktop/e2e, mobile/e2e).
 * It lives at the root because apps never import each other, test code
 * included; tsconfig.tools.json type-checks it with the e2e folders.
 */

/** Where the tests find Chromium: Debian's package by default (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? process.env.NLINK_CHROMIUM ?? "/usr/bin/chromium";

/** Headless, no network side traffic, no first-run UI. */
const BASE_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Starts Chromium for a test, with `extraArgs` after the base ones.
 *
 * @example const browser = await launchChromium(); try { ... } finally { await browser.close(); }
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...BASE_ARGS, ...extraArgs] });
}
