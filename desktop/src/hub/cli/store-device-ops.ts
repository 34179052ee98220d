import { join } from "node:path";
import type { Capability } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { DESKTOP_ACTOR } from "../audit-log";
import { canonicalCaps, knownCaps } from "../devices/caps";
import { type DeviceRecord, openStore } from "../store";
import { DeviceOpError, type DeviceOps, type DeviceRow } from "./device-ops";

const toRow = (d: DeviceRecord): DeviceRow => ({
  id: d.id,
  name: d.name,
  kind: d.kind,
  online: null,
  caps: knownCaps(d.caps),
});

/**
 * Device operations on the data directory itself, for when no hub runs
 * (the caller holds the data lock, so none starts meanwhile). Each change is
 * audited like the UI's. A revoked device is refused from the next start on,
 * and the hub tells the relay when it next connects (the link revokes every
 * revoked device on a fresh session).
 */
export async function storeDeviceOps(dataDir: string, log: Logger): Promise<DeviceOps> {
  const store = await openStore({ file: join(dataDir, "hub.db"), log });
  const active = async (id: string): Promise<DeviceRecord> => {
    const d = await store.devices.get(id);
    if (!d || d.revokedAt !== null) throw new DeviceOpError("no such paired device");
    return d;
  };
  return {
    list: async () => (await store.devices.list()).map(toRow),
    setCaps: async (id: string, caps: Capability[]) => {
      await active(id);
      const granted = canonicalCaps(caps);
      const d = await store.devices.setCaps(id, granted);
      await store.audit.append({ actor: DESKTOP_ACTOR, action: "device.caps", subject: id, detail: { caps: granted } });
      return toRow(d);
    },
    rename: async (id: string, name: string) => {
      await active(id);
      const d = await store.devices.rename(id, name);
      await store.audit.append({ actor: DESKTOP_ACTOR, action: "device.renamed", subject: id, detail: { name } });
      return toRow(d);
    },
    revoke: async (id: string) => {
      await active(id);
      await store.devices.revoke(id);
      await store.audit.append({ actor: DESKTOP_ACTOR, action: "device.revoked", subject: id });
      return { relayToldNow: false };
    },
    close: () => store.close(),
  };
}
