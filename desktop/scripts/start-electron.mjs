/* global process, URL */
// `npm start`: builds and runs the Electron app, or says in plain words how to
// fetch Electron when npm could not (it downloads its binary from outside the
// npm registry, and is an optional dependency so that `npm install` succeeds
// without it).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { electronState, HOW_TO_FETCH } from "./electron-check.mjs";

const electron = electronState();
if (electron.state !== "ready") {
  const what =
    electron.state === "no-package"
      ? "Electron is not installed (npm could not download it)."
      : "Electron's binary is missing (its download failed or was skipped).";
  process.stderr.write(`${what}\n${HOW_TO_FETCH}\n`);
  process.exit(1);
}
const desktop = fileURLToPath(new URL("..", import.meta.url));
const run = (cmd, args) => spawnSync(cmd, args, { cwd: desktop, stdio: "inherit", shell: false });
const build = run(process.execPath, [
  fileURLToPath(new URL("../../node_modules/electron-vite/bin/electron-vite.js", import.meta.url)),
  "build",
  "--config",
  "../electron.vite.config.ts",
]);
if (build.status !== 0) process.exit(build.status ?? 1);
const app = run(electron.binary, ["."]);
process.exit(app.status ?? 1);
