import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempStore } from "../store/test-support";
import type { Store } from "../store";
import type { TaskRecord } from "../tasks/ports";
import { FavoritesService } from "./favorites-service";

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

const base: TaskRecord = {
  id: "t",
  command: "ls",
  cwd: null,
  risk: "low",
  reasons: [],
  state: "running",
  requestedBy: "phone-1",
  timeoutMs: 1000,
  exitCode: null,
  output: "",
  startedAt: null,
  endedAt: null,
  createdAt: 100,
  approvals: [],
  kind: "command",
  term: null,
  endReason: null,
  endedBy: null,
  sandboxMode: null,
  sandboxBlocked: null,
  escalatedFrom: null,
  approvalExpiresAt: null,
  digest: null,
};

/** The service over a real SQLite store, fed task events as TaskService announces them. */
function setup(pairedAt: Record<string, number> = {}) {
  const listeners: ((e: { task: TaskRecord }) => void)[] = [];
  const audit: string[] = [];
  const service = new FavoritesService({
    store,
    tasks: { onUpdated: (l) => (listeners.push(l), () => undefined) },
    pairedSince: async (d) => pairedAt[d],
    audit: { record: async (actor, action) => void audit.push(`${actor} ${action}`) },
    log: pino({ level: "silent" }),
  });
  const announce = (t: Partial<TaskRecord>) => {
    for (const l of listeners) l({ task: { ...base, ...t } });
  };
  /**
   * The announcer does not wait for the write: wait until the task of `id` is the last one recorded (writes keep their
   * order).
   */
  const recorded = async (id: string) => {
    for (let i = 0; i < 400; i++) {
      if ((await service.listHistory("desktop", 50)).some((h) => h.last_task === id)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`task ${id} never entered the history`);
  };
  return { service, announce, recorded, audit };
}

describe("FavoritesService: what enters the history", () => {
  it("a command once when created (running or awaiting approval), not again at later states, not terminals, forbidden or escalations", async () => {
    const { service, announce, recorded } = setup();
    announce({ id: "a", state: "awaiting_approval" });
    announce({ id: "a", state: "running" });
    announce({ id: "a", state: "done" });
    announce({ id: "f", command: "rm -rf /", state: "rejected", endReason: "forbidden" });
    announce({ id: "s", command: "bash", kind: "terminal", state: "awaiting_approval" });
    announce({ id: "e", state: "awaiting_approval", escalatedFrom: "a" });
    announce({ id: "b", state: "running", createdAt: 200 });
    await recorded("b");
    const history = await service.listHistory("desktop", 50);
    expect(history.map((h) => [h.command, h.runs, h.last_task])).toEqual([["ls", 2, "b"]]);
  });

  it("a device sees the runs since it was paired; an unknown device sees none", async () => {
    const { service, announce, recorded } = setup({ "phone-2": 150 });
    announce({ id: "a", command: "early", createdAt: 100 });
    announce({ id: "b", command: "late", createdAt: 200 });
    await recorded("a");
    await recorded("b");
    expect((await service.listHistory("phone-2", 50)).map((h) => h.command)).toEqual(["late"]);
    expect(await service.listHistory("stranger", 50)).toEqual([]);
  });

  it("saves and removes favorites with an audit entry each, refusing past the limit", async () => {
    const { service, audit } = setup();
    const small = new FavoritesService({
      store,
      tasks: { onUpdated: () => () => undefined },
      pairedSince: async () => 0,
      audit: { record: async () => undefined },
      log: pino({ level: "silent" }),
      settings: { favoritesMax: 1 },
    });
    const f = await service.saveFavorite("phone-1", { command: "make", label: "Build" });
    await expect(small.saveFavorite("phone-1", { command: "make test" })).rejects.toMatchObject({ code: "conflict" });
    await service.removeFavorite("desktop", f.id);
    await expect(service.removeFavorite("desktop", f.id)).rejects.toMatchObject({ code: "not_found" });
    expect(audit).toEqual(["phone-1 favorite.saved", "desktop favorite.removed"]);
  });
});
