import react from "@vitejs/plugin-react";
import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { withCspMeta } from "./src/main/content-security-policy.ts";

const here = import.meta.dirname;

/** Adds the renderer CSP as a <meta> tag to built pages only (the dev server needs inline HMR code). */
export function cspMeta(): Plugin {
  return { name: "nlink-csp-meta", apply: "build", transformIndexHtml: (html) => withCspMeta(html) };
}

/**
 * The renderer built for web mode: the headless hub serves desktop/dist/web
 * on loopback and the page talks to it over the bridge socket.
 */
export default defineConfig({
  root: resolve(here, "src/renderer"),
  base: "./",
  plugins: [react(), cspMeta()],
  build: {
    outDir: resolve(here, "dist/web"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // xterm.js alone is ~300 kB; one local bundle loads from disk, so splitting buys nothing.
    chunkSizeWarningLimit: 1024,
  },
});
