import type { Kysely } from "kysely";
import type { PushEvents, PushSubscriptionJson } from "@neural-link/shared/app";
import type { Database } from "../store/schema";

/** Row types of migrations 008 and 011 (store/migrations/008-push.ts, 011-push-asked.ts). */
// A type alias, not an interface: Kysely's `withTables` wants an index-signature-compatible record.
export type PushTables = {
  push_vapid: { id: number; public_key: string; private_key: string; created_at: number };
  push_devices: {
    device_id: string;
    endpoint: string | null;
    p256dh: string | null;
    auth: string | null;
    approval: number;
    task: number;
    message: number;
    updated_at: number;
  };
  push_asked: { task_id: string; device_id: string; asked_at: number };
};

/** The hub's VAPID key pair, base64url (RFC 8292): public uncompressed P-256 point, private scalar. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** One device's push state: its subscription (null: none) and the kinds it wants. */
export interface PushDeviceRecord {
  device: string;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } } | null;
  events: PushEvents;
  updatedAt: number;
}

type Row = PushTables["push_devices"];

const toRecord = (r: Row): PushDeviceRecord => ({
  device: r.device_id,
  subscription:
    r.endpoint !== null && r.p256dh !== null && r.auth !== null
      ? { endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } }
      : null,
  events: { approval: r.approval === 1, task: r.task === 1, message: r.message === 1 },
  updatedAt: r.updated_at,
});

/**
 * The push tables. It stores what the service validated (shared's zod schemas
 * at the RPC boundary); it holds secrets (the VAPID private key, the
 * subscriptions' auth secrets), so nothing here logs.
 */
export class PushRepo {
  /**
   * `db` is read per query (Store's getter): inside a store unit it is the unit's
   * transaction. The push methods run inside the unit of their RPC frame, and a query on
   * the outer handle there would wait for the unit's own connection forever.
   */
  constructor(
    private readonly source: { readonly db: Kysely<Database> },
    private readonly now: () => number = Date.now,
  ) {}

  private get db(): Kysely<Database & PushTables> {
    return this.source.db.withTables<PushTables>();
  }

  async vapid(): Promise<VapidKeys | null> {
    const row = await this.db.selectFrom("push_vapid").selectAll().where("id", "=", 1).executeTakeFirst();
    return row ? { publicKey: row.public_key, privateKey: row.private_key } : null;
  }

  /** Stores the key pair unless one exists; returns the one in force (a concurrent first start keeps one pair). */
  async saveVapid(keys: VapidKeys): Promise<VapidKeys> {
    await this.db
      .insertInto("push_vapid")
      .values({ id: 1, public_key: keys.publicKey, private_key: keys.privateKey, created_at: this.now() })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    return (await this.vapid())!;
  }

  async get(device: string): Promise<PushDeviceRecord | null> {
    const row = await this.db.selectFrom("push_devices").selectAll().where("device_id", "=", device).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(): Promise<PushDeviceRecord[]> {
    return (await this.db.selectFrom("push_devices").selectAll().orderBy("device_id").execute()).map(toRecord);
  }

  /** Sets the subscription (null: forget it) and/or some kinds; a device without a row gets every kind on. */
  async upsert(
    device: string,
    change: { subscription?: PushSubscriptionJson | null; events?: Partial<PushEvents> },
  ): Promise<PushDeviceRecord> {
    const sub = change.subscription;
    const cols = {
      ...(sub !== undefined
        ? { endpoint: sub?.endpoint ?? null, p256dh: sub?.keys.p256dh ?? null, auth: sub?.keys.auth ?? null }
        : {}),
      ...(change.events?.approval !== undefined ? { approval: change.events.approval ? 1 : 0 } : {}),
      ...(change.events?.task !== undefined ? { task: change.events.task ? 1 : 0 } : {}),
      ...(change.events?.message !== undefined ? { message: change.events.message ? 1 : 0 } : {}),
      updated_at: this.now(),
    };
    const bit = (on: boolean | undefined) => (on === false ? 0 : 1);
    const row = {
      device_id: device,
      endpoint: sub?.endpoint ?? null,
      p256dh: sub?.keys.p256dh ?? null,
      auth: sub?.keys.auth ?? null,
      approval: bit(change.events?.approval),
      task: bit(change.events?.task),
      message: bit(change.events?.message),
      updated_at: cols.updated_at,
    };
    await this.db
      .insertInto("push_devices")
      .values(row)
      .onConflict((oc) => oc.column("device_id").doUpdateSet(cols))
      .execute();
    return (await this.get(device))!;
  }

  /** Forgets a subscription the push service said is gone (404/410), unless the device has since sent a new one. */
  async dropEndpoint(device: string, endpoint: string): Promise<boolean> {
    const res = await this.db
      .updateTable("push_devices")
      .set({ endpoint: null, p256dh: null, auth: null, updated_at: this.now() })
      .where("device_id", "=", device)
      .where("endpoint", "=", endpoint)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** A revoked device: its rows go. */
  async remove(device: string): Promise<void> {
    await this.db.deleteFrom("push_devices").where("device_id", "=", device).execute();
    await this.db.deleteFrom("push_asked").where("device_id", "=", device).execute();
  }

  /** The approval of `task` was pushed to `device`: it gets the "answered" follow-up, even after a restart. */
  async markAsked(task: string, device: string): Promise<void> {
    await this.db
      .insertInto("push_asked")
      .values({ task_id: task, device_id: device, asked_at: this.now() })
      .onConflict((oc) => oc.column("task_id").doUpdateSet({ device_id: device }))
      .execute();
  }

  /** The device whose phone was asked to approve `task` and not yet told the answer, or null. */
  async askedDevice(task: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("push_asked")
      .select("device_id")
      .where("task_id", "=", task)
      .executeTakeFirst();
    return row?.device_id ?? null;
  }

  /** Takes the asked device of `task` off the list (once its answer is pushed); true when there was one. */
  async clearAsked(task: string): Promise<boolean> {
    const res = await this.db.deleteFrom("push_asked").where("task_id", "=", task).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}
