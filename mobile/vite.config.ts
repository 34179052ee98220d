import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { appShell } from "./app-shell.config.ts";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The phone app is served by the relay (and the hub's embedded relay) at
 * `/app/`, hence the base. The service worker is bundled on its own by the
 * app-shell plugin into `sw.js`, a fixed name, so that its URL (and with it
 * its scope) never changes.
 */
export default defineConfig({
  base: "/app/",
  plugins: [react(), appShell(here("src/sw.ts"))],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: { index: here("index.html") },
      output: { entryFileNames: "assets/[name]-[hash].js", chunkFileNames: "assets/chunk-[hash].js" },
    },
  },
});
