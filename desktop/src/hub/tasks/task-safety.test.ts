import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TerminalManager } from "../terminals/pty-terminals";
import { detectSandbox } from "../sandbox";
import type { Store } from "../store";
import { openTempStore, silentLog } from "../store/test-support";
import { TERMINAL_REASON } from "./admission";
import { endOfLocalDay } from "./approvals";
import type { SandboxStatus, TerminalOpener } from "./ports";
import { TaskService, type TaskServiceDeps, type TaskUpdatedEvent } from "./task-service";

let store: Store;
let cleanup: () => Promise<void>;
let dir: string;
let services: TaskService[] = [];

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  dir = mkdtempSync(join(tmpdir(), "nl-safety-"));
});

afterEach(async () => {
  await Promise.all(services.map((s) => s.shutdown()));
  services = [];
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const SANDBOX: SandboxStatus = { kind: "bubblewrap", available: true, reason: "bubblewrap" };

function make(extra: Partial<TaskServiceDeps> = {}) {
  const events: TaskUpdatedEvent[] = [];
  const s = new TaskService({
    tasks: store.tasks,
    audit: store.audit,
    remembered: store.rememberedApprovals,
    policyFor: () => undefined,
    log: silentLog,
    sandbox: SANDBOX,
    ...extra,
    settings: { home: dir, ...extra.settings },
    executor: { defaultCwd: dir, ...extra.executor },
  });
  s.onUpdated((e) => events.push(e));
  services.push(s);
  return { s, events };
}

const actions = async (id: string) =>
  (await store.audit.list({ limit: 200 }))
    .filter((e) => e.subject === id)
    .map((e) => `${e.actor}:${e.action}`)
    .reverse();

/** A command the classifier holds for approval and that changes something we can check. */
const highCommand = (marker: string) => `echo ran > ${marker}; frobnicate-nl`;

describe("TaskService safety", () => {
  it("without a sandbox, a device's low-risk command asks, and says why; the desktop's own still runs", async () => {
    const { s } = make({ sandbox: { kind: "none", available: false, reason: "bubblewrap is not installed" } });
    const asked = await s.run({ command: "ls", requestedBy: "phone-1" });
    expect(asked).toMatchObject({ risk: "high", state: "awaiting_approval", startedAt: null, sandboxMode: null });
    expect(asked.reasons[0]).toBe("no sandbox on this desktop (bubblewrap is not installed), so every command asks");
    const own = await s.run({ command: "ls", requestedBy: "desktop" });
    expect(own).toMatchObject({ risk: "low", state: "running", sandboxMode: null });
    expect((await s.settled(own.id)).state).toBe("done");
    // Without any sandbox status at all, the same holds.
    const bare = make({ sandbox: undefined as never });
    expect((await bare.s.run({ command: "ls", requestedBy: "phone-1" })).state).toBe("awaiting_approval");
  });

  it("a low-risk device task runs in the sandbox: read-only without grants, workspace with them, the data dir hidden", async () => {
    const seen: unknown[] = [];
    const grants: Record<string, string[]> = { "phone-2": [dir] };
    const { s } = make({
      hidden: ["/data/hub"],
      workspaceFor: async (d) => grants[d] ?? [],
      runner: async (o) => {
        seen.push(o.sandbox);
        return { done: Promise.resolve({ state: "done", exitCode: 0, sandboxBlocked: null }), cancel: () => undefined };
      },
    });
    const a = await s.run({ command: "ls", requestedBy: "phone-1" });
    const b = await s.run({ command: "ls", requestedBy: "phone-2" });
    expect(a.sandboxMode).toBe("read-only");
    expect(b.sandboxMode).toBe("workspace");
    await s.settled(a.id);
    await s.settled(b.id);
    expect(seen).toEqual([
      { status: SANDBOX, spec: { mode: "read-only", writable: [], hidden: ["/data/hub"] } },
      { status: SANDBOX, spec: { mode: "workspace", writable: [dir], hidden: ["/data/hub"] } },
    ]);
    expect(s.toWire(await s.get(a.id)).sandbox).toEqual({ mode: "read-only" });
  });

  it("an approval expires on its timer: the task is rejected as approval_expired, and a later vote is refused", async () => {
    const { s, events } = make({ settings: { approvalTtlMs: 40 } });
    const marker = join(dir, "expired-ran");
    const task = await s.run({ command: highCommand(marker), requestedBy: "phone-1" });
    // The deadline is taken just before the store stamps createdAt (possibly a millisecond earlier).
    expect(task.approvalExpiresAt! - task.createdAt).toBeGreaterThanOrEqual(30);
    expect(task.approvalExpiresAt! - task.createdAt).toBeLessThanOrEqual(40);
    expect(s.toWire(task).approval_expires_at).toBe(task.approvalExpiresAt);
    await expect.poll(() => events.at(-1)?.task.state, { timeout: 5000 }).toBe("rejected");
    expect(await s.get(task.id)).toMatchObject({ state: "rejected", endReason: "approval_expired", endedBy: "hub" });
    await expect(s.approve({ task: task.id, approve: true, by: "phone-1" })).rejects.toMatchObject({
      code: "expired",
      message: expect.stringMatching(/expired/),
    });
    expect(existsSync(marker)).toBe(false);
    expect(await actions(task.id)).toEqual([
      "phone-1:task.requested",
      "hub:task.approval_expired",
      "phone-1:task.approval_refused",
    ]);
  });

  it("a vote that arrives after the deadline is refused and rejects the task, by the service's clock", async () => {
    let clock = 5_000_000;
    const { s, events } = make({ now: () => clock, settings: { approvalTtlMs: 60_000, approvals: "phone" } });
    const marker = join(dir, "late-ran");
    const task = await s.run({ command: highCommand(marker), requestedBy: "phone-1" });
    clock += 59_999;
    expect((await s.get(task.id)).state).toBe("awaiting_approval");
    clock += 1;
    await expect(s.approve({ task: task.id, approve: true, by: "phone-1" })).rejects.toMatchObject({ code: "expired" });
    expect(await s.get(task.id)).toMatchObject({ state: "rejected", endReason: "approval_expired" });
    expect(events.at(-1)?.task).toMatchObject({ id: task.id, state: "rejected" });
    expect(existsSync(marker)).toBe(false);
  });

  it("a rejection names who rejected", async () => {
    const { s } = make();
    const task = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    const rejected = await s.approve({ task: task.id, approve: false, by: "desktop" });
    expect(rejected).toMatchObject({ state: "rejected", endReason: "rejected", endedBy: "desktop" });
    const names = new Map([
      ["desktop", "This desktop"],
      ["phone-1", "Pixel"],
    ]);
    expect(s.toWire(rejected, names)).toMatchObject({
      end_reason: "rejected",
      ended_by: "desktop",
      ended_by_name: "This desktop",
      requested_by_name: "Pixel",
      kind: "command",
    });
  });

  it('"approve for today" runs the same request again at once, with full rights; another cwd or device still asks', async () => {
    const { s } = make({ settings: { approvals: "phone" } });
    const other = join(dir, "other");
    mkdirSync(other);
    const first = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    expect((await s.approve({ task: first.id, approve: true, by: "phone-1", remember: "today" })).state).toBe(
      "running",
    );
    await s.settled(first.id);
    const [kept] = await s.listRemembered();
    expect(kept).toMatchObject({ device: "phone-1", digest: first.digest, taskId: first.id });
    expect(kept!.expiresAt).toBe(endOfLocalDay(kept!.createdAt));

    const again = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    expect(again).toMatchObject({ state: "running", risk: "high", sandboxMode: null, digest: first.digest });
    expect(await actions(again.id)).toEqual(["phone-1:task.requested", "hub:task.approved_remembered"]);
    await s.settled(again.id);

    expect((await s.run({ command: "frobnicate-nl", cwd: other, requestedBy: "phone-1" })).state).toBe(
      "awaiting_approval",
    );
    expect((await s.run({ command: "frobnicate-nl", requestedBy: "phone-2" })).state).toBe("awaiting_approval");
    expect((await s.run({ command: "frobnicate-nl ", requestedBy: "phone-1" })).state).toBe("awaiting_approval");

    expect(await s.forgetRemembered({ device: "phone-1", by: "desktop" })).toBe(1);
    expect((await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" })).state).toBe("awaiting_approval");
  });

  it('"approve for today" from the phone alone is not remembered when the desktop also had to approve', async () => {
    const { s } = make();
    const first = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    await s.approve({ task: first.id, approve: true, by: "phone-1", remember: "today" });
    await s.approve({ task: first.id, approve: true, by: "desktop" });
    await s.settled(first.id);
    expect(await s.listRemembered()).toEqual([]);
    expect((await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" })).state).toBe("awaiting_approval");
  });

  it("does not start an approved task whose environment changed since it was asked", async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir };
    const { s } = make({ settings: { approvals: "phone" }, taskEnv: () => ({ ...env }) });
    const marker = join(dir, "changed-ran");
    const task = await s.run({ command: highCommand(marker), requestedBy: "phone-1" });
    env.LD_PRELOAD = "/tmp/evil.so";
    const refused = await s.approve({ task: task.id, approve: true, by: "phone-1" });
    expect(refused).toMatchObject({ state: "rejected", endReason: "context_changed", endedBy: "hub" });
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(marker)).toBe(false);
    expect(await actions(task.id)).toContain("hub:task.context_changed");
  });

  it("a revoked device's waiting tasks are rejected as unanswerable and its remembered approvals forgotten", async () => {
    const { s } = make({ settings: { approvals: "phone" } });
    const first = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    await s.approve({ task: first.id, approve: true, by: "phone-1", remember: "today" });
    await s.settled(first.id);
    const waiting = await s.run({ command: "frobnicate-nl 2", requestedBy: "phone-1" });
    const others = await s.run({ command: "frobnicate-nl 2", requestedBy: "phone-2" });
    expect(await s.deviceRevoked("phone-1")).toBe(1);
    expect(await s.get(waiting.id)).toMatchObject({ state: "rejected", endReason: "approval_unanswerable" });
    expect((await s.get(others.id)).state).toBe("awaiting_approval");
    expect(await s.listRemembered()).toEqual([]);
  });

  it("on start, settles what a killed hub left and emits task.updated for each; overdue approvals are rejected", async () => {
    const base = { cwd: null, reasons: [], requestedBy: "phone-1", timeoutMs: 1000 };
    const running = await store.tasks.create({
      ...base,
      command: "sleep 100",
      risk: "low",
      state: "running",
      startedAt: 1,
    });
    const overdue = await store.tasks.create({
      ...base,
      command: "frobnicate-nl",
      risk: "high",
      state: "awaiting_approval",
      approvalExpiresAt: Date.now() - 1,
    });
    const fresh = await store.tasks.create({
      ...base,
      command: "frobnicate-nl",
      risk: "high",
      state: "awaiting_approval",
      approvalExpiresAt: Date.now() + 60_000,
    });
    await store.rememberedApprovals.remember({
      device: "phone-1",
      digest: "d",
      command: "x",
      cwd: null,
      taskId: "t",
      createdAt: 0,
      expiresAt: Date.now() - 1,
    });
    const { s, events } = make({ settings: { recoveryPageSize: 1 } });
    expect(await s.recover()).toBe(2);
    expect(await store.rememberedApprovals.list(0)).toEqual([]);
    expect(events.map((e) => [e.task.id, e.task.state, e.task.endReason])).toEqual(
      expect.arrayContaining([
        [running.id, "failed", "hub_interrupted"],
        [overdue.id, "rejected", "approval_expired"],
      ]),
    );
    expect(events).toHaveLength(2);
    expect((await s.get(fresh.id)).state).toBe("awaiting_approval");
  });

  it("a terminal from a device waits for approval, opens a real pty under the promised id once approved, and ends done", async () => {
    const terms = new TerminalManager({ log: silentLog, settings: { terminalShell: "/bin/sh", defaultCwd: dir } });
    const exits = new Map<string, (code: number) => void>();
    terms.onExit((e) => exits.get(e.id)?.(e.exitCode));
    const opener: TerminalOpener = {
      open: async (req) => {
        const done = new Promise<{ exitCode: number }>((r) => exits.set(req.term, (exitCode) => r({ exitCode })));
        await terms.open({ id: req.term, owner: req.owner, cols: req.cols, rows: req.rows, cwd: req.cwd });
        return { done, cancel: () => void terms.close(req.term) };
      },
    };
    const { s, events } = make({ terminals: opener, executor: { terminalShell: "/bin/sh" } });
    const task = await s.requestTerminal({ requestedBy: "phone-1", cols: 100, rows: 30 });
    expect(task).toMatchObject({
      kind: "terminal",
      risk: "high",
      state: "awaiting_approval",
      reasons: [TERMINAL_REASON],
      command: "/bin/sh",
    });
    expect(task.term).toEqual(expect.any(String));
    expect(terms.list()).toEqual([]);
    expect(await s.terminalTask(task.term!)).toMatchObject({ id: task.id });

    await s.approve({ task: task.id, approve: true, by: "phone-1" });
    expect(terms.list()).toEqual([]);
    const running = await s.approve({ task: task.id, approve: true, by: "desktop" });
    expect(running.state).toBe("running");
    // "running" is said only once the pty is open, so a phone can attach at once.
    expect(terms.list().map((t) => [t.id, t.owner, t.cols, t.rows])).toEqual([[task.term, "phone-1", 100, 30]]);
    terms.input(task.term!, "exit 7\n");
    const end = await s.settled(task.id);
    expect(end).toMatchObject({ state: "done", exitCode: 7, endReason: "exit" });
    expect(events.map((e) => e.task.state)).toEqual(["awaiting_approval", "awaiting_approval", "running", "done"]);
    expect(await actions(task.id)).toEqual([
      "phone-1:terminal.requested",
      "phone-1:task.approved",
      "desktop:task.approved",
      "hub:task.finished",
    ]);
    await terms.closeAll();
  });

  it("a rejected terminal never opens", async () => {
    let opened = 0;
    const { s } = make({
      terminals: { open: async () => (opened++, { done: new Promise(() => undefined), cancel: () => undefined }) },
    });
    const task = await s.requestTerminal({ requestedBy: "phone-1", cols: 80, rows: 24 });
    expect(await s.approve({ task: task.id, approve: false, by: "phone-1" })).toMatchObject({
      state: "rejected",
      endReason: "rejected",
      endedBy: "phone-1",
    });
    expect(opened).toBe(0);
  });
});

describe("escalation through the real sandbox", () => {
  let sandbox: SandboxStatus;
  beforeAll(async () => {
    sandbox = await detectSandbox({ log: silentLog });
  });

  it("a write the sandbox stopped ends failed with blocked: write; escalating asks again and runs with full rights only once approved", async () => {
    // The device's own policy lets `touch` through as low: a deliberate misclassification the sandbox must catch.
    const { s, events } = make({ sandbox, policyFor: () => ({ allow: ["touch"] }), settings: { approvals: "phone" } });
    const marker = join(dir, "escalated");
    const first = await s.run({ command: `touch ${marker}`, requestedBy: "phone-1" });
    expect(first).toMatchObject({ risk: "low", state: "running", sandboxMode: "read-only" });
    const blocked = await s.settled(first.id);
    expect(blocked).toMatchObject({ state: "failed", sandboxBlocked: "write", endReason: "exit" });
    expect(existsSync(marker)).toBe(false);
    expect(s.toWire(blocked).sandbox).toEqual({ mode: "read-only", blocked: "write" });

    await expect(s.escalate({ task: first.id, by: "phone-2" })).rejects.toMatchObject({ code: "not_found" });
    const again = await s.escalate({ task: first.id, by: "phone-1" });
    expect(again).toMatchObject({
      risk: "high",
      state: "awaiting_approval",
      escalatedFrom: first.id,
      command: first.command,
      cwd: first.cwd,
      sandboxMode: null,
    });
    expect(again.reasons[0]).toMatch(/^re-run without the sandbox, which stopped a write/);
    expect(events.at(-1)?.task.id).toBe(again.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(marker)).toBe(false);
    await expect(s.escalate({ task: again.id, by: "phone-1" })).rejects.toMatchObject({ code: "conflict" });

    expect((await s.approve({ task: again.id, approve: true, by: "phone-1" })).state).toBe("running");
    expect(await s.settled(again.id)).toMatchObject({ state: "done", sandboxMode: null, sandboxBlocked: null });
    expect(existsSync(marker)).toBe(true);
    expect(s.toWire(await s.get(again.id))).toMatchObject({ sandbox: null, escalated_from: first.id });
    expect(await actions(again.id)).toEqual(["phone-1:task.escalated", "phone-1:task.approved", "hub:task.finished"]);
  });
});
