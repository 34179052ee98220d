/**
 * The contract between the hub core and every user interface on the desktop.
 * The hub owns it (the core never imports the layers above it); preload, main,
 * the web-mode bridge and the renderer import it from here.
 *
 * `HubApi` is implemented by `HubNode` (desktop/src/hub/hub-node.ts) and reached
 * by the renderer through one of two transports that carry exactly these calls:
 * Electron IPC (preload exposes `window.hub`) or the loopback WebSocket bridge
 * of web mode (desktop/src/hub/bridge/). Rules that keep both transports honest:
 *
 * - every method is async and takes at most one plain-JSON params object;
 * - every result and event payload is plain JSON (no Uint8Array, Date, Map);
 * - this folder is pure: no `node:` import, no Node package, only types from
 *   shared at run time, so the web tsconfig (renderer) includes it as well as
 *   the node tsconfig (hub, main, preload). lint/import-rules.js keeps it so.
 */
export * from "./events";
export * from "./hub-api";
export * from "./hub-records";
export * from "./transport";
export * from "./work-records";
