import type { Selectable } from "kysely";
import type { RepoContext } from "./repo-context";
import type { DevicesTable } from "./schema";
import { checkRiskPolicy } from "./settings-schema";
import { StoreError } from "./store-error";
import type { Card, DeviceKind, DeviceRecord, RiskPolicy } from "./types";

function toDevice(row: Selectable<DevicesTable>): DeviceRecord {
  return {
    id: row.device_id,
    name: row.name,
    kind: row.kind as DeviceKind, // CHECK constraint of migration 001
    boxPublicKey: row.box_public_key,
    card: JSON.parse(row.card) as Card,
    caps: JSON.parse(row.caps) as string[],
    policy: JSON.parse(row.policy) as RiskPolicy,
    pairedAt: row.paired_at,
    lastSeen: row.last_seen,
    revokedAt: row.revoked_at,
  };
}

export interface NewDevice {
  id: string;
  name: string;
  kind: DeviceKind;
  boxPublicKey: string;
  card: Card;
  caps: string[];
  policy?: RiskPolicy;
  pairedAt?: number;
}

/** Paired devices. A revoked device stays listed (for the audit trail) until it pairs again. */
export class DevicesRepo {
  constructor(private readonly ctx: RepoContext) {}

  /**
   * Stores a newly paired device. Pairing again (after a revoke, or with new keys)
   * replaces the old record and clears `revokedAt`.
   */
  async add(d: NewDevice): Promise<DeviceRecord> {
    const policy = JSON.stringify(checkedPolicy(d.policy ?? {}));
    const values = {
      name: d.name,
      kind: d.kind,
      box_public_key: d.boxPublicKey,
      card: JSON.stringify(d.card),
      caps: JSON.stringify(checkedCaps(d.caps)),
      policy,
      paired_at: d.pairedAt ?? this.ctx.now(),
      last_seen: null,
      revoked_at: null,
    };
    await this.ctx.db
      .insertInto("devices")
      .values({ device_id: d.id, ...values })
      .onConflict((oc) => oc.column("device_id").doUpdateSet(values))
      .execute();
    return this.mustGet(d.id);
  }

  async get(id: string): Promise<DeviceRecord | undefined> {
    const row = await this.ctx.db.selectFrom("devices").selectAll().where("device_id", "=", id).executeTakeFirst();
    return row && toDevice(row);
  }

  /** In pairing order; revoked devices only when asked for. */
  async list(opts: { includeRevoked?: boolean } = {}): Promise<DeviceRecord[]> {
    let q = this.ctx.db.selectFrom("devices").selectAll();
    if (!opts.includeRevoked) q = q.where("revoked_at", "is", null);
    const rows = await q.orderBy("paired_at").orderBy("device_id").execute();
    return rows.map(toDevice);
  }

  async rename(id: string, name: string): Promise<DeviceRecord> {
    if (name.trim().length === 0) throw new StoreError("invalid", "a device name cannot be empty");
    return this.update(id, { name });
  }

  async setCaps(id: string, caps: string[]): Promise<DeviceRecord> {
    return this.update(id, { caps: JSON.stringify(checkedCaps(caps)) });
  }

  async setPolicy(id: string, policy: RiskPolicy): Promise<DeviceRecord> {
    return this.update(id, { policy: JSON.stringify(checkedPolicy(policy)) });
  }

  /** Marks the device revoked; revoking twice keeps the first time. */
  async revoke(id: string, at: number = this.ctx.now()): Promise<DeviceRecord> {
    await this.ctx.db
      .updateTable("devices")
      .set({ revoked_at: at })
      .where("device_id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
    return this.mustGet(id);
  }

  /** Called on traffic from the device; cheap, no read-back. */
  async touchLastSeen(id: string, at: number = this.ctx.now()): Promise<void> {
    await this.ctx.db.updateTable("devices").set({ last_seen: at }).where("device_id", "=", id).execute();
  }

  /** Paired and not revoked: the only devices whose frames the hub accepts. */
  async isActive(id: string): Promise<boolean> {
    const row = await this.ctx.db
      .selectFrom("devices")
      .select("device_id")
      .where("device_id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async update(
    id: string,
    set: Partial<Pick<DevicesTable, "name" | "caps" | "policy">>,
  ): Promise<DeviceRecord> {
    const res = await this.ctx.db.updateTable("devices").set(set).where("device_id", "=", id).executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw notFound();
    return this.mustGet(id);
  }

  private async mustGet(id: string): Promise<DeviceRecord> {
    const d = await this.get(id);
    if (!d) throw notFound();
    return d;
  }
}

function checkedCaps(caps: string[]): string[] {
  if (!caps.every((c) => typeof c === "string" && c.length > 0))
    throw new StoreError("invalid", "capabilities must be non-empty strings");
  return [...new Set(caps)];
}

function checkedPolicy(policy: RiskPolicy): RiskPolicy {
  const checked = checkRiskPolicy(policy);
  if (!checked.ok) throw new StoreError("invalid", `risk policy ${checked.error}`);
  return checked.value;
}

function notFound(): StoreError {
  return new StoreError("not_found", "no such device");
}
