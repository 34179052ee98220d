/* global URL */
// Where Electron is: its npm package (an optional dependency of desktop/) and
// the binary its postinstall downloads from outside the npm registry. Both may
// be missing on a machine that reaches only the npm registry; the headless hub
// needs neither. Used by `npm start` and by the type-check of the Electron
// main process.
import { createRequire } from "node:module";

const require = createRequire(new URL("../package.json", import.meta.url));

/** How to get Electron, in words, for a person at the terminal. */
export const HOW_TO_FETCH = [
  "The headless hub does not need it: npm run hub.",
  "To fetch Electron on a machine that can reach its downloads (github.com, or a mirror set in ELECTRON_MIRROR):",
  "  npm install --include=optional -w @neural-link/desktop electron",
  "or, when the package is there but not its binary:",
  "  node desktop/node_modules/electron/install.js",
].join("\n");

/**
 * `{ state: "ready", binary }`, or `{ state: "no-package" }` (npm dropped the
 * optional dependency) or `{ state: "no-binary" }` (its download failed or was skipped).
 */
export function electronState() {
  try {
    require.resolve("electron/package.json");
  } catch {
    return { state: "no-package" };
  }
  try {
    // In Node, the package's main is the binary's path, and throws when the binary is missing.
    return { state: "ready", binary: require("electron") };
  } catch {
    return { state: "no-binary" };
  }
}
