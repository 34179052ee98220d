import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { productionBuild } from "../../test-support/vite-build";

/**
 * Builds the web-mode renderer into a fresh temp dir, so a test always runs
 * the current source and never races another build of desktop/dist/web.
 */
export async function buildWebUi(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "nl-web-"));
  await productionBuild({
    configFile: resolve(import.meta.dirname, "../vite.web.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}
