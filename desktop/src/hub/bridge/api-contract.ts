/**
 * The one door from the hub core to the HubApi contract. The contract lives
 * in preload/api-types.ts because the renderer's tsconfig may include only
 * that file; it loads no code at run time (only shared's types) and holds no
 * Electron code, so the hub may depend on it. lint/import-rules.js lets the
 * hub import this one preload file and nothing else from the layers above it.
 */
export * from "../../preload/api-types";
