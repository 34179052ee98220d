/* global process, URL */
// Type-checks the Electron main process and preload, which import Electron's
// types from its package. Electron is an optional dependency: where npm dropped
// it (its binary could not be downloaded), this says so and skips instead of
// failing `npm test` on an offline machine. CI installs the package (with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), so there the check always runs.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { electronState } from "./electron-check.mjs";

if (electronState().state === "no-package") {
  process.stdout.write(
    "Skipped type-checking the Electron main process: the optional electron package is not installed.\n",
  );
  process.exit(0);
}
const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const config = fileURLToPath(new URL("../tsconfig.electron.json", import.meta.url));
const r = spawnSync(process.execPath, [tsc, "-p", config], { stdio: "inherit" });
process.exit(r.status ?? 1);
