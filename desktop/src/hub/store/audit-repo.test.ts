import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./open-store";
import { openTempStore } from "./test-support";

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

describe("AuditRepo", () => {
  it("appends entries and lists them newest first with a cursor", async () => {
    const a = await store.audit.append({
      actor: "phone-1",
      action: "task.requested",
      subject: "t1",
      detail: { command: "rm -rf build", risk: "high" },
    });
    await store.audit.append({ actor: "desktop", action: "task.approved", subject: "t1" });
    await store.audit.append({ actor: "hub", action: "task.ended", subject: "t1", detail: { exitCode: 0 } });
    const page = await store.audit.list({ limit: 2 });
    expect(page.map((e) => e.action)).toEqual(["task.ended", "task.approved"]);
    expect(page[1]).toMatchObject({ subject: "t1", detail: null });
    const rest = await store.audit.list({ limit: 2, before: page[1]!.id });
    expect(rest).toEqual([a]);
    expect(a.detail).toEqual({ command: "rm -rf build", risk: "high" });
  });

  it("refuses UPDATE and DELETE at the database level", async () => {
    await store.audit.append({ actor: "desktop", action: "device.revoked", subject: "phone-1" });
    await expect(store.db.updateTable("audit_log").set({ action: "nothing happened" }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(store.db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    expect((await store.audit.list({ limit: 10 }))[0]!.action).toBe("device.revoked");
  });
});
