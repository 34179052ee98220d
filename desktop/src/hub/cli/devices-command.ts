import { existsSync } from "node:fs";
import { join } from "node:path";
import { CAPABILITIES, type Capability } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { socketDeviceOps } from "./control-client";
import { acquireDataLock, lockHolder } from "./data-lock";
import { DeviceOpError, type DeviceOps, type DeviceRow, resolveDevice } from "./device-ops";
import type { DevicesCommand } from "./devices-args";
import { storeDeviceOps } from "./store-device-ops";

/** What each capability lets a device do, for `devices caps`. */
export const CAP_HELP: Record<Capability, string> = {
  chat: "send and read messages",
  tasks: "run commands as tasks (risky ones wait for approval)",
  approve: "approve or reject tasks waiting for approval",
  terminal: "open live terminals on this desktop",
  doc: "read and edit the shared notes",
};

/**
 * Column widths of `devices list`; an id is shown by its first characters, which the subcommands accept as a prefix.
 */
const ID_SHOWN = 12;

function table(rows: readonly DeviceRow[]): string {
  if (rows.length === 0) return "No paired devices. Pair one with: npm run hub -- --pair";
  const lines = rows.map((d) => [
    d.id.slice(0, ID_SHOWN),
    d.name,
    d.kind,
    d.online === null ? "-" : d.online ? "yes" : "no",
    d.caps.join(", ") || "(none)",
  ]);
  const head = ["ID", "NAME", "KIND", "ONLINE", "CAPABILITIES"];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => l.map((c, i) => (i === l.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [fmt(head), ...lines.map(fmt)].join("\n");
}

/**
 * Runs a `devices ...` subcommand. With a hub running on the data directory
 * it goes through that hub's control socket (so the hub, its UI, phones and
 * the relay learn of the change at once); with none, it takes the data lock
 * and edits the store itself. Returns the exit code.
 */
export async function runDevices(
  cmd: DevicesCommand,
  dataDir: string,
  say: (line: string) => void,
  log: Logger,
): Promise<number> {
  if (cmd.op === "caps") {
    for (const c of CAPABILITIES) say(`${c.padEnd(9)} ${CAP_HELP[c]}`);
    return 0;
  }
  const running = lockHolder(dataDir);
  let ops: DeviceOps;
  let release = () => {};
  if (running !== null) {
    ops = socketDeviceOps(dataDir);
  } else {
    if (!existsSync(join(dataDir, "hub.db")))
      throw new DeviceOpError(`no hub has run with the data directory ${dataDir} yet: there are no devices to manage`);
    const lock = acquireDataLock(dataDir);
    release = lock.release;
    try {
      ops = await storeDeviceOps(dataDir, log);
    } catch (err) {
      release();
      throw err;
    }
  }
  try {
    const rows = await ops.list();
    switch (cmd.op) {
      case "list":
        say(table(rows));
        if (running === null) say("(No hub is running on this data directory: online status is unknown.)");
        return 0;
      case "grant":
      case "ungrant": {
        const d = resolveDevice(rows, cmd.device);
        const caps =
          cmd.op === "grant" ? [...new Set([...d.caps, ...cmd.caps])] : d.caps.filter((c) => !cmd.caps.includes(c));
        const after = await ops.setCaps(d.id, caps);
        say(`"${after.name}" may now: ${after.caps.join(", ") || "nothing"}.`);
        return 0;
      }
      case "rename": {
        const d = resolveDevice(rows, cmd.device);
        const after = await ops.rename(d.id, cmd.name);
        say(`Renamed "${d.name}" to "${after.name}".`);
        return 0;
      }
      case "revoke": {
        const d = resolveDevice(rows, cmd.device);
        const { relayToldNow } = await ops.revoke(d.id);
        say(`Revoked "${d.name}": this hub no longer accepts it.`);
        say(
          relayToldNow
            ? "The relay was told to refuse it."
            : "The relay will be told to refuse it when the hub next connects.",
        );
        return 0;
      }
      default: {
        const never: never = cmd;
        throw new DeviceOpError(`unknown devices command ${JSON.stringify(never)}`);
      }
    }
  } finally {
    await ops.close();
    release();
  }
}
