/**
 * The relay, started in-process so that a hub works with no cloud at all.
 * The one file of the hub allowed to import @neural-link/relay (see
 * lint/import-rules.js); everything else reaches it only through a URL.
 */
import { mkdirSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { startRelay } from "@neural-link/relay";
import type { SocketFactory } from "@neural-link/shared/client";
import { GATEWAY_PATH } from "@neural-link/shared/protocol";
import type { Logger } from "pino";

export interface EmbeddedRelayOptions {
  dataDir: string;
  /** Address to listen on; 0.0.0.0 so a phone on the LAN can reach it. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** The URL phones should use, if the LAN address guess is wrong (e.g. behind NAT or a tunnel). */
  publicUrl?: string;
  /** Fixed relay id; the default is stable, since AUTH signatures bind it. */
  relayId?: string;
  /** Relay storage: default a PGlite directory `<dataDir>/relay`; tests and benchmarks pass "memory". */
  db?: string;
  log: Logger;
}

export interface EmbeddedRelay {
  /** Where the hub itself connects: loopback. */
  localUrl: string;
  /** What goes into a pairing QR code: a LAN address a phone can reach. */
  publicUrl: string;
  port: number;
  /** Where a phone opens the app (http://<lan>:<port>/app/), or null when the app is not built. */
  appUrl: string | null;
  /** The id its HELLO names: known in-process, so the hub pins it rather than trusting on first use. */
  relayId: string;
  /** How the hub in this process connects to it: through memory, not loopback (relay's in-process-socket.ts). */
  socketFactory: SocketFactory;
  close(): Promise<void>;
}

/** The first non-internal IPv4 address: a good guess of where a phone on the same Wi-Fi finds us. */
export function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return null;
}

/**
 * Starts the relay with its PGlite store in `<dataDir>/relay`.
 * @example const relay = await startEmbeddedRelay({ dataDir, host: "0.0.0.0", port: 0, log });
 */
export async function startEmbeddedRelay(opts: EmbeddedRelayOptions): Promise<EmbeddedRelay> {
  let db = opts.db;
  if (db === undefined) {
    db = join(opts.dataDir, "relay");
    mkdirSync(db, { recursive: true, mode: 0o700 });
  }
  const relayId = opts.relayId ?? "nlink-embedded";
  const handle = await startRelay({
    host: opts.host,
    port: opts.port,
    db,
    // The phone app's files (mobile/dist, when built) are served at /app/, so a
    // phone on the same network can install the app from the hub itself.
    relayId,
    logger: opts.log,
  });
  const localUrl = `ws://127.0.0.1:${handle.port}${GATEWAY_PATH}`;
  const loopbackOnly = opts.host === "127.0.0.1" || opts.host === "localhost" || opts.host === "::1";
  const lan = loopbackOnly ? null : lanAddress();
  const publicUrl = opts.publicUrl ?? (lan ? `ws://${lan}:${handle.port}${GATEWAY_PATH}` : localUrl);
  const appUrl = handle.appDir === null ? null : publicUrl.replace(/^ws/, "http").replace(GATEWAY_PATH, "/app/");
  return {
    localUrl,
    publicUrl,
    port: handle.port,
    appUrl,
    relayId,
    socketFactory: handle.inProcessSocket,
    close: () => handle.close(),
  };
}
