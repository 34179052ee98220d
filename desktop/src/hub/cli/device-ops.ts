import type { Capability } from "@neural-link/shared/app";

/** A paired device as the `devices` subcommands show it. `online` is null when no hub runs to know it. */
export interface DeviceRow {
  id: string;
  name: string;
  kind: string;
  online: boolean | null;
  caps: Capability[];
}

/**
 * What the `devices` subcommands do, whether through the running hub's
 * control socket or on the data directory when no hub runs.
 */
export interface DeviceOps {
  list(): Promise<DeviceRow[]>;
  setCaps(device: string, caps: Capability[]): Promise<DeviceRow>;
  rename(device: string, name: string): Promise<DeviceRow>;
  /** Returns whether the relay was told now (false: it is told when the hub next connects). */
  revoke(device: string): Promise<{ relayToldNow: boolean }>;
  close(): Promise<void>;
}

/** A device failed to resolve, or an operation was refused: said as is. */
export class DeviceOpError extends Error {
  override readonly name = "DeviceOpError";
}

/**
 * Finds the one device a reference means: an exact id, then an exact name
 * (case-insensitive), then a unique id prefix. Refuses an ambiguous one
 * with the candidates.
 */
export function resolveDevice(rows: readonly DeviceRow[], ref: string): DeviceRow {
  const exact = rows.find((d) => d.id === ref);
  if (exact) return exact;
  const byName = rows.filter((d) => d.name.toLowerCase() === ref.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1)
    throw new DeviceOpError(
      `${byName.length} devices are named "${ref}"; give the start of an id instead: ${byName.map((d) => d.id.slice(0, 12)).join(", ")}`,
    );
  const byPrefix = rows.filter((d) => d.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1)
    throw new DeviceOpError(`"${ref}" is the start of ${byPrefix.length} device ids; give more of it`);
  throw new DeviceOpError(
    `no paired device is "${ref}" (by id, start of id or name); see: npm run hub -- devices list`,
  );
}
