/**
 * @neural-link/relay: the cloud relay of docs/protocol.md, as a library.
 *
 * @example
 * import { startRelay } from "@neural-link/relay";
 * const relay = await startRelay({ port: 0, db: "memory" });
 */
export { type RelayHandle, type RelayOptions, startRelay } from "./relay";
export { DEFAULT_LIMITS, DEFAULT_TIMINGS, type RelayLimits, type RelayTimings } from "./settings";
export { RelayConfigError, StorageError } from "./errors";
