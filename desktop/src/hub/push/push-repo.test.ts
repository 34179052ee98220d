import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../store/migrations";
import { migration008 } from "../store/migrations/008-push";
import { openStore, type Store } from "../store/open-store";
import { openTempStore, silentLog } from "../store/test-support";
import { PushRepo } from "./push-repo";

let store: Store;
let file: string;
let cleanup: () => Promise<void>;
let repo: PushRepo;

const A = "A".repeat(43);
const sub = (n: number) => ({
  endpoint: `https://fcm.googleapis.com/fcm/send/${n}`,
  keys: { p256dh: `B${"p".repeat(86)}`, auth: "a".repeat(22) },
});

beforeEach(async () => {
  ({ store, file, cleanup } = await openTempStore());
  repo = new PushRepo(store, () => 1_000);
});
afterEach(() => cleanup());

describe("PushRepo on a real SQLite file", () => {
  it("is created by migration 008", async () => {
    const versions = (await store.db.selectFrom("schema_migrations").select("version").execute()).map((r) => r.version);
    expect(versions).toContain(8);
    expect(MIGRATIONS).toContain(migration008);
  });

  it("keeps one VAPID pair: a second save keeps the first", async () => {
    expect(await repo.vapid()).toBeNull();
    const first = await repo.saveVapid({ publicKey: "pub1", privateKey: "priv1" });
    expect(await repo.saveVapid({ publicKey: "pub2", privateKey: "priv2" })).toEqual(first);
  });

  it("a new device gets every kind; settings outlive the subscription; a gone endpoint is dropped only if still current", async () => {
    expect(await repo.upsert(A, { events: { message: false } })).toMatchObject({
      subscription: null,
      events: { approval: true, task: true, message: false },
    });
    await repo.upsert(A, { subscription: sub(1) });
    await repo.upsert(A, { subscription: sub(2) });
    expect(await repo.dropEndpoint(A, sub(1).endpoint)).toBe(false);
    expect((await repo.get(A))?.subscription?.endpoint).toBe(sub(2).endpoint);
    expect(await repo.dropEndpoint(A, sub(2).endpoint)).toBe(true);
    expect(await repo.get(A)).toMatchObject({ subscription: null, events: { message: false } });
    await repo.remove(A);
    expect(await repo.get(A)).toBeNull();
  });

  it("refuses half a subscription at the database level, and survives a reopen", async () => {
    await expect(
      store.db
        .insertInto("push_devices" as never)
        .values({ device_id: A, endpoint: "https://x", updated_at: 1 } as never)
        .execute(),
    ).rejects.toThrow(/CHECK/);
    await repo.upsert(A, { subscription: sub(3) });
    await store.close();
    const again = await openStore({ file, log: silentLog });
    try {
      expect((await new PushRepo(again).get(A))?.subscription?.endpoint).toBe(sub(3).endpoint);
    } finally {
      await again.close();
    }
  });
});
