import type { Browser, BrowserContext } from "playwright-core";
import { launchChromium } from "../../test-support/chromium";

/** A small phone's screen, the size the app is designed for. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };
/** A common current phone (390x844), portrait; its landscape is 844x390. */
export const PHONE_VIEWPORT_LARGE = { width: 390, height: 844 };

/** Starts Chromium whose camera shows the given Y4M video, with camera permission already granted. */
export async function launchPhoneBrowser(cameraY4m?: string): Promise<Browser> {
  const camera = cameraY4m
    ? [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-video-capture=${cameraY4m}`,
      ]
    : [];
  return launchChromium(camera);
}

export function phoneContext(
  browser: Browser,
  colorScheme: "light" | "dark" = "light",
  viewport = PHONE_VIEWPORT,
): Promise<BrowserContext> {
  return browser.newContext({ viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme });
}
