import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { productionBuild } from "../../test-support/vite-build";

export const MOBILE_DIR = fileURLToPath(new URL("..", import.meta.url));
export const DIST_DIR = fileURLToPath(new URL("../dist", import.meta.url));

/**
 * Builds the phone app into mobile/dist unless a build newer than this run's
 * start exists (`npm test` builds first; a lone `vitest run` builds here).
 */
export async function ensureAppBuilt(maxAgeMs = 10 * 60_000): Promise<string> {
  const index = `${DIST_DIR}/index.html`;
  if (existsSync(index) && Date.now() - statSync(index).mtimeMs < maxAgeMs) return DIST_DIR;
  await productionBuild({ root: MOBILE_DIR, configFile: `${MOBILE_DIR}/vite.config.ts`, logLevel: "warn" });
  return DIST_DIR;
}
