import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium; `apt-get install -y chromium` if missing. */
export const CHROMIUM = process.env.NLINK_CHROMIUM ?? "/usr/bin/chromium";
/** A small phone's screen, the size the app is designed for. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };
/** A common current phone (390x844), portrait; its landscape is 844x390. */
export const PHONE_VIEWPORT_LARGE = { width: 390, height: 844 };

const BASE_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Starts Chromium whose camera shows the given Y4M video, with camera permission already granted. */
export async function launchPhoneBrowser(cameraY4m?: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  const camera = cameraY4m
    ? ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${cameraY4m}`]
    : [];
  return chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...camera] });
}

export function phoneContext(browser: Browser, colorScheme: "light" | "dark" = "light", viewport = PHONE_VIEWPORT): Promise<BrowserContext> {
  return browser.newContext({ viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme });
}
