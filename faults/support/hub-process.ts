/**
 * The hub as a real child process (faults/support/hub-main.ts under tsx) on
 * a temporary data directory: SIGKILL, restart on the same directory, and a
 * read of its SQLite store once it is down (row counts, integrity_check).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { spawnChild, type ChildHandle, type Exit } from "./child-process";
import { REPO_ROOT } from "./run-id";

export interface HubProcessOptions {
  approvals?: "both" | "phone" | "desktop";
  /**
   * Checkout whose hub code runs: default NLINK_FAULT_HUB_ROOT, else this repository. Lets a
   * scenario be run against an older build (an exported commit with node_modules linked in).
   */
  root?: string;
  logLevel?: "debug" | "info" | "warn" | "error";
}

export interface HubProcess {
  readonly dataDir: string;
  /** The hub's device id. */
  readonly device: string;
  /** The pairing link printed by the first start. */
  readonly pairUri: string;
  readonly child: ChildHandle;
  readonly generation: number;
  /** SIGKILL: no goodbye, nothing flushed beyond what SQLite committed. */
  kill(): Promise<Exit>;
  /** SIGTERM: HubNode.stop. */
  stop(): Promise<Exit>;
  /** Starts a new process on the same data directory; waits until it is online. */
  restart(): Promise<void>;
  /** Opens the hub's database read-only (the process must be down, or WAL readers are fine too). */
  withDb<T>(fn: (db: Database.Database) => T): T;
  dispose(): Promise<void>;
}

/** tsx compiles the whole hub on start; a loaded 2-core machine needs time. */
const START_TIMEOUT_MS = 90_000;

/**
 * Starts a hub process that opens a pairing window (its link in `pairUri`).
 *
 * @example
 * const hub = await startHubProcess("burst", relay.url);
 * await hub.kill(); await hub.restart();
 */
export async function startHubProcess(
  name: string,
  relayUrl: string,
  options: HubProcessOptions = {},
): Promise<HubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `nlink-fault-${name}-`));
  const root = options.root ?? process.env.NLINK_FAULT_HUB_ROOT ?? REPO_ROOT;
  let generation = 0;
  let child!: ChildHandle;
  let device = "";
  let pairUri = "";
  const launch = async (pair: boolean) => {
    generation += 1;
    child = spawnChild(
      `${name}-hub-${generation}`,
      process.execPath,
      ["--import", "tsx", join(root, "faults/support/hub-main.ts")],
      {
        NLINK_FAULT_DATA: dataDir,
        NLINK_FAULT_RELAY: relayUrl,
        NLINK_FAULT_APPROVALS: options.approvals ?? "phone",
        NLINK_LOG_LEVEL: options.logLevel ?? "warn",
      },
    );
    const line = await child.waitForLog(/^HUB ONLINE /, START_TIMEOUT_MS);
    device = line.slice("HUB ONLINE ".length).trim();
    if (pair) pairUri = (await child.waitForLog(/^PAIR nlink:/, START_TIMEOUT_MS)).slice("PAIR ".length).trim();
  };
  await launch(true);
  return {
    dataDir,
    get device() {
      return device;
    },
    get pairUri() {
      return pairUri;
    },
    get child() {
      return child;
    },
    get generation() {
      return generation;
    },
    kill: () => child.kill(),
    stop: () => child.stop(15_000),
    restart: () => launch(false),
    withDb(fn) {
      const db = new Database(join(dataDir, "hub.db"), { readonly: true, fileMustExist: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    },
    async dispose() {
      await child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `PRAGMA integrity_check` of every SQLite file of a hub data directory: "ok" each. */
export function integrityOf(hub: HubProcess): string {
  return hub.withDb((db) => (db.pragma("integrity_check", { simple: true }) as string) ?? "no answer");
}
