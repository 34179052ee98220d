import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations";
import type { Store } from "./open-store";
import { openStore } from "./open-store";
import { openTempStore, silentLog, tempDir } from "./test-support";
import type { RememberedApproval } from "./types";

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

const approval = (over: Partial<RememberedApproval> = {}): RememberedApproval => ({
  device: "phone-1",
  digest: "d1",
  command: "make",
  cwd: "/w",
  taskId: "t1",
  createdAt: 100,
  expiresAt: 1000,
  ...over,
});

describe("RememberedApprovalsRepo", () => {
  it("finds an approval only for its device and digest, and only before it expires", async () => {
    await store.rememberedApprovals.remember(approval());
    expect(await store.rememberedApprovals.find("phone-1", "d1", 999)).toEqual(approval());
    expect(await store.rememberedApprovals.find("phone-1", "d1", 1000)).toBeUndefined();
    expect(await store.rememberedApprovals.find("phone-2", "d1", 500)).toBeUndefined();
    expect(await store.rememberedApprovals.find("phone-1", "d2", 500)).toBeUndefined();
  });

  it("renews on a second remember, lists those in force, forgets one or all of a device, and sweeps", async () => {
    await store.rememberedApprovals.remember(approval());
    await store.rememberedApprovals.remember(approval({ taskId: "t2", createdAt: 200, expiresAt: 2000 }));
    await store.rememberedApprovals.remember(approval({ digest: "d2", createdAt: 150 }));
    await store.rememberedApprovals.remember(approval({ device: "phone-2", digest: "old", expiresAt: 50 }));
    expect((await store.rememberedApprovals.list(100)).map((a) => [a.device, a.digest, a.taskId])).toEqual([
      ["phone-1", "d1", "t2"],
      ["phone-1", "d2", "t1"],
    ]);
    expect(await store.rememberedApprovals.sweep(100)).toBe(1);
    expect(await store.rememberedApprovals.forget("phone-1", "d2")).toBe(1);
    expect(await store.rememberedApprovals.forget("phone-1")).toBe(1);
    expect(await store.rememberedApprovals.list(0)).toEqual([]);
  });
});

describe("migration 006", () => {
  it("keeps tasks stored before it as commands with no safety fields, and adds what the task service needs", async () => {
    const { dir, cleanup: rm } = tempDir();
    const file = `${dir}/hub.db`;
    try {
      const before = MIGRATIONS.filter((m) => m.version < 6);
      const old = await openStore({ file, log: silentLog, migrations: before });
      // Rows as the build before 006 wrote them (today's repository writes the new columns).
      await sql`INSERT INTO tasks (id, command, cwd, risk, reasons, state, requested_by, timeout_ms, created_at) VALUES ('t-old', 'sudo reboot', NULL, 'high', '[]', 'awaiting_approval', 'phone-1', 1000, 1)`.execute(
        old.db,
      );
      await sql`INSERT INTO task_approvals (task_id, "by", approve, at) VALUES ('t-old', 'phone-1', 1, 5)`.execute(
        old.db,
      );
      await old.close();
      const t = { id: "t-old" };
      const upgraded = await openStore({ file, log: silentLog });
      const again = await upgraded.tasks.get(t.id);
      expect(again).toMatchObject({
        kind: "command",
        term: null,
        endReason: null,
        sandboxMode: null,
        approvalExpiresAt: null,
        digest: null,
        approvals: [{ by: "phone-1", approve: true, at: 5 }],
      });
      const term = await upgraded.tasks.create({
        command: "/bin/sh",
        cwd: null,
        risk: "high",
        reasons: [],
        state: "awaiting_approval",
        requestedBy: "phone-1",
        timeoutMs: 1000,
        kind: "terminal",
        term: "term-1",
        approvalExpiresAt: 99,
        digest: "abc",
      });
      expect(await upgraded.tasks.byTerm("term-1")).toMatchObject({
        id: term.id,
        kind: "terminal",
        approvalExpiresAt: 99,
        digest: "abc",
      });
      const ended = await upgraded.tasks.setState(term.id, "rejected", {
        endReason: "approval_expired",
        endedBy: "hub",
      });
      expect(ended).toMatchObject({ endReason: "approval_expired", endedBy: "hub" });
      await upgraded.close();
    } finally {
      rm();
    }
  });
});
