/* global process, URL */
// `npm run package`: builds the Electron app and its installers with
// electron-builder, an optional dependency that needs Node 22.12+ (its
// @electron/rebuild and node-abi do) and Electron's binary. Says what is
// missing instead of failing with a stack.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { electronState, HOW_TO_FETCH } from "./electron-check.mjs";

const require = createRequire(new URL("../package.json", import.meta.url));
let builderCli;
try {
  builderCli = require.resolve("electron-builder/cli.js");
} catch {
  process.stderr.write(
    `Building installers needs electron-builder, which npm installs only on Node 22.12 or newer (this is ${process.version}).\n`,
  );
  process.exit(1);
}
if (electronState().state !== "ready") {
  process.stderr.write(`Building installers needs Electron's binary.\n${HOW_TO_FETCH}\n`);
  process.exit(1);
}
const desktop = fileURLToPath(new URL("..", import.meta.url));
const run = (args) => spawnSync(process.execPath, args, { cwd: desktop, stdio: "inherit" });
const build = run([
  fileURLToPath(new URL("../../node_modules/electron-vite/bin/electron-vite.js", import.meta.url)),
  "build",
  "--config",
  "../electron.vite.config.ts",
]);
if (build.status !== 0) process.exit(build.status ?? 1);
process.exit(run([builderCli]).status ?? 1);
