import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Where the window's page comes from: the electron-vite dev server in
 * `npm run dev` (it sets ELECTRON_RENDERER_URL), else the built file.
 * `mainDir` is the directory of the built main script (desktop/out/main).
 */
export function resolveAppUrl(mainDir: string, env: Record<string, string | undefined>, packaged: boolean): string {
  const dev = env.ELECTRON_RENDERER_URL;
  if (!packaged && dev && /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(dev)) return dev;
  return pathToFileURL(join(mainDir, "../renderer/index.html")).href;
}

/** The sandboxed preload bundle beside the main script. */
export function preloadPath(mainDir: string): string {
  return join(mainDir, "../preload/index.cjs");
}
