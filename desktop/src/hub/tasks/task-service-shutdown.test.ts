import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../store";
import { openTempStore, silentLog } from "../store/test-support";
import type { TaskRepo } from "./ports";
import { TaskService, type TaskServiceDeps } from "./task-service";

let store: Store;
let cleanup: () => Promise<void>;
let dir: string;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  dir = mkdtempSync(join(tmpdir(), "nl-tasks-stop-"));
});

afterEach(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A pino logger whose error-level lines land in `errors`. */
function capturingLog() {
  const errors: string[] = [];
  const log = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
  return { log, errors };
}

/** The store's task repo with slow output writes, counting calls and any made once `closed` is set. */
function slowRepo(repo: TaskRepo, delayMs: number) {
  const stats = { appends: 0, inFlight: 0, afterClose: 0, closed: false };
  const track = <T>(p: () => Promise<T>): Promise<T> => {
    if (stats.closed) stats.afterClose++;
    return p();
  };
  const wrapped: TaskRepo = {
    create: (t) => track(() => repo.create(t)),
    get: (id) => track(() => repo.get(id)),
    list: (o) => track(() => repo.list(o)),
    setState: (id, st, p) => track(() => repo.setState(id, st, p)),
    addApproval: (id, a) => track(() => repo.addApproval(id, a)),
    history: (id) => track(() => repo.history(id)),
    byTerm: (term) => track(() => repo.byTerm(term)),
    appendOutput: (id, chunk) =>
      track(async () => {
        stats.appends++;
        stats.inFlight++;
        try {
          await new Promise((r) => setTimeout(r, delayMs));
          await repo.appendOutput(id, chunk);
        } finally {
          stats.inFlight--;
        }
      }),
  };
  return { wrapped, stats };
}

function make(extra: Partial<TaskServiceDeps> = {}) {
  return new TaskService({
    tasks: store.tasks,
    audit: store.audit,
    policyFor: () => undefined,
    log: silentLog,
    ...extra,
    settings: { home: dir, ...extra.settings },
    executor: { defaultCwd: dir, ...extra.executor },
  });
}

describe("TaskService shutdown", () => {
  it("waits for output writes under way, so the store closes with nothing left to write", async () => {
    const { wrapped, stats } = slowRepo(store.tasks, 20);
    const { log, errors } = capturingLog();
    const s = make({ tasks: wrapped, log, settings: { outputFlushMs: 10, outputFlushChars: 512 } });
    // The desktop's own low-risk task runs at once without a sandbox: shutdown mechanics only.
    const task = await s.run({ command: "seq 1 3000; sleep 30", requestedBy: "desktop" });
    await expect.poll(() => stats.appends, { timeout: 10_000 }).toBeGreaterThan(0);
    await s.shutdown();
    expect(stats.inFlight).toBe(0);
    const final = await store.tasks.get(task.id);
    expect(final).toMatchObject({ state: "failed", endedAt: expect.any(Number), endReason: "hub_stopped" });
    expect(final!.output).toMatch(/^1\r\n2\r\n3\r\n/);
    stats.closed = true;
    await cleanup();
    // Longer than a flush interval: a timer left behind would fire now.
    await new Promise((r) => setTimeout(r, 100));
    expect(stats.afterClose).toBe(0);
    expect(errors).toEqual([]);
    ({ store, cleanup } = await openTempStore()); // for afterEach
  });

  it("lets a request under way finish without spawning its task, and refuses new ones", async () => {
    let release!: () => void;
    const policyReady = new Promise<undefined>((r) => (release = () => r(undefined)));
    const s = make({ policyFor: () => policyReady });
    const pending = s.run({ command: "ls", requestedBy: "desktop" });
    const stopping = s.shutdown();
    release();
    await stopping;
    const task = await pending;
    // shutdown resolved only after the request's task was recorded as ended.
    expect(await s.get(task.id)).toMatchObject({
      state: "failed",
      endReason: "hub_stopped",
      output: "[neural-link: the hub stopped before this task could start]\n",
    });
    await expect(s.run({ command: "echo late", requestedBy: "phone-1" })).rejects.toMatchObject({ code: "stopped" });
    await expect(s.approve({ task: task.id, approve: true, by: "desktop" })).rejects.toMatchObject({ code: "stopped" });
    expect((await store.tasks.list({ limit: 10 })).map((t) => t.command)).toEqual(["ls"]);
  });

  it("an approval under way when shutdown begins records its task as failed instead of running it", async () => {
    const s = make({ settings: { approvals: "phone" } });
    const marker = join(dir, "approved-ran");
    const task = await s.run({ command: `touch ${marker}; sudo true`, requestedBy: "phone-1" });
    expect(task.state).toBe("awaiting_approval");
    const vote = s.approve({ task: task.id, approve: true, by: "phone-1" });
    await s.shutdown();
    expect((await vote).state).toBe("running");
    expect(await s.get(task.id)).toMatchObject({ state: "failed", endReason: "hub_stopped" });
    expect(existsSync(marker)).toBe(false);
  });

  it("settled still resolves when the store goes away under a running task", async () => {
    const own = await openTempStore();
    const s = new TaskService({
      tasks: own.store.tasks,
      audit: own.store.audit,
      policyFor: () => undefined,
      log: silentLog,
      settings: { home: dir },
      executor: { defaultCwd: dir },
    });
    const task = await s.run({ command: "sleep 0.3; echo done", requestedBy: "desktop" });
    await own.cleanup();
    await expect(s.settled(task.id)).resolves.toMatchObject({ id: task.id });
    await s.shutdown();
  });
});
