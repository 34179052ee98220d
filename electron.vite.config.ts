import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { cspMeta } from "./desktop/vite.web.config";

const desktop = resolve(import.meta.dirname, "desktop");

// electron is a dependency of desktop/ (desktop/node_modules) while electron-vite
// is hoisted to the root, from where it cannot resolve it; it reads the
// version (ESM support, node target) from this variable instead.
const electronVersion = (
  createRequire(resolve(desktop, "package.json"))("electron/package.json") as { version: string }
).version;
process.env.ELECTRON_MAJOR_VER ??= electronVersion.split(".")[0];

// The workspace packages export TypeScript source, which Electron cannot
// load: they are bundled into main. Their own npm dependencies (the embedded
// relay's Hono, PGlite, pg, ...) stay external like desktop's, and load from
// node_modules at run time.
const workspacePackages = ["@neural-link/shared", "@neural-link/relay"];
const relayDeps = Object.keys(
  (
    JSON.parse(readFileSync(resolve(import.meta.dirname, "relay/package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    }
  ).dependencies ?? {},
).filter((d) => !workspacePackages.includes(d));
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const relayExternals = relayDeps.map((d) => new RegExp(`^${escapeRe(d)}(/.*)?$`));

/**
 * Builds the Electron app into desktop/out: main (ESM, npm dependencies
 * external so native modules load at run time, workspace packages bundled), preload (CommonJS, one bundle: a
 * sandboxed preload can neither load ESM nor require from node_modules),
 * and the renderer (the same React app as web mode).
 */
export default defineConfig({
  main: {
    root: desktop,
    build: {
      outDir: resolve(desktop, "out/main"),
      externalizeDeps: { exclude: workspacePackages },
      rollupOptions: { input: { index: resolve(desktop, "src/main/index.ts") }, external: relayExternals },
    },
  },
  preload: {
    root: desktop,
    build: {
      outDir: resolve(desktop, "out/preload"),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(desktop, "src/preload/index.ts") },
        external: ["electron"],
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(desktop, "src/renderer"),
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve(desktop, "out/renderer"),
      rollupOptions: { input: { index: resolve(desktop, "src/renderer/index.html") } },
    },
  },
});
