import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { newSessionToken } from "./session-token";

/** File in the hub's data directory that keeps the web UI's address across restarts. Mode 0600: it holds the token. */
export const WEB_ADDRESS_FILE = "web-ui.json";

const storedSchema = z.object({ port: z.number().int().min(1).max(65535), token: z.string().min(32).max(128) });
export type StoredWebAddress = z.infer<typeof storedSchema>;

/** The stored port and token, or null when there are none (first start) or the file is unreadable. */
export function loadWebAddress(dataDir: string): StoredWebAddress | null {
  try {
    const parsed = storedSchema.safeParse(JSON.parse(readFileSync(join(dataDir, WEB_ADDRESS_FILE), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes the address atomically with mode 0600 (the token opens the whole UI). */
export function saveWebAddress(dataDir: string, address: StoredWebAddress): void {
  const file = join(dataDir, WEB_ADDRESS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(address)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * What the web UI should use this start: the stored token (a new one when
 * there is none or `rotate` is asked) and the port to try first (the stored
 * one, unless `port` names another; 0 = any free port).
 */
export function planWebAddress(
  dataDir: string,
  opts: { rotate: boolean; port: number | undefined },
): { token: string; port: number; rotated: boolean } {
  const stored = loadWebAddress(dataDir);
  const rotated = opts.rotate || stored === null;
  return { token: rotated ? newSessionToken() : stored.token, port: opts.port ?? stored?.port ?? 0, rotated };
}
