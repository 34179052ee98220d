import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";

/**
 * Builds the web-mode renderer into a fresh temp dir, so a test always runs
 * the current source and never races another build of desktop/dist/web.
 */
export async function buildWebUi(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "nl-web-"));
  await build({
    configFile: resolve(import.meta.dirname, "../vite.web.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}
