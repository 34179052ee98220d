import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, DEFAULT_PHONE_CAPS, type Task } from "@neural-link/shared/app";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode, type HubNodeConfig } from "../src/hub/hub-node";
import { openStore } from "../src/hub/store";
import { TestPhone } from "../test/test-phone";

/** Terminals run /bin/sh, not the user's $SHELL (its rc files can be slow here). */
const TEST_SHELL = "/bin/sh";
const log = pino({ level: "silent" });

/**
 * The safety promises of docs/risk-policy.md through the real hub, relay and a phone
 * built from `shared` alone: the sandbox in hub.info, stale frames refused, terminals
 * approved before they open, escalation, remembered approvals, and a restart that
 * tells the phone how its tasks ended.
 */
describe("task safety, end to end", () => {
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let phone: TestPhone;
  let dir: string;
  const config = (): HubNodeConfig => ({
    dataDir: join(dir, "hub"),
    relay: relay.localUrl,
    name: "Safety Hub",
    approvals: "both",
    log,
    settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
    executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-safety-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await HubNode.start(config());
    await hub.whenOnline();
    phone = new TestPhone(relay.localUrl);
    await phone.connect();
    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    for (let i = 0; i < 200 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);
  }, 120_000);

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pushed = (id: string, state: Task["state"]) =>
    phone
      .next(
        (m) =>
          m.t === AppType.TASK_UPDATED &&
          (m.d as { task: Task }).task.id === id &&
          (m.d as { task: Task }).task.state === state,
      )
      .then((m) => (m.d as { task: Task }).task);

  it("hub.info names the sandbox in force", async () => {
    const info = await phone.rpc!.call("hub.info", {});
    expect(info.sandbox).toMatchObject({ kind: "bubblewrap", available: true, reason: expect.any(String) });
  });

  it("refuses a tasks.run or tasks.approve sealed more than 5 minutes before it arrived", async () => {
    const rpc = phone.rpc!;
    const { task } = await rpc.call("tasks.run", { command: "frobnicate-nl" });
    expect(task.state).toBe("awaiting_approval");
    phone.clockOffsetMs = -6 * 60_000;
    try {
      await expect(rpc.call("tasks.run", { command: "echo late" })).rejects.toMatchObject({
        code: "stale",
        message: "this request was sent 6 minutes ago; send it again",
      });
      await expect(rpc.call("tasks.approve", { task: task.id, approve: true })).rejects.toMatchObject({
        code: "stale",
      });
      // Reading is harmless: only requests that act are refused.
      expect((await rpc.call("tasks.get", { task: task.id })).task.state).toBe("awaiting_approval");
    } finally {
      phone.clockOffsetMs = 0;
    }
    expect((await rpc.call("tasks.approve", { task: task.id, approve: false })).task).toMatchObject({
      state: "rejected",
      end_reason: "rejected",
      ended_by: phone.device,
      ended_by_name: "Test Phone",
    });
    const audit = await hub.store.audit.list({ limit: 50 });
    expect(audit.filter((a) => a.action === "rpc.stale" && a.actor === phone.device)).toHaveLength(2);
  });

  it("opens a phone's terminal only once approved; input before that is refused; every step is audited", async () => {
    const rpc = phone.rpc!;
    const opened = await rpc.call("term.open", { cols: 80, rows: 24 });
    expect(opened).toMatchObject({
      seq: 0,
      state: "awaiting_approval",
      task: { kind: "terminal", risk: "high", state: "awaiting_approval", awaiting: ["phone", "desktop"] },
    });
    const { term, task } = opened;
    expect(task!.term).toBe(term);
    expect(task!.reasons?.[0]).toMatch(/full access/);
    await expect(rpc.call("term.input", { term, data: "echo hi\r" })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/waiting for approval/),
    });
    expect(await hub.listTerminals()).toEqual([]);

    await rpc.call("tasks.approve", { task: task!.id, approve: true });
    expect(await hub.listTerminals()).toEqual([]);
    await hub.approveTask({ task: task!.id, approve: true });
    const running = await pushed(task!.id, "running");
    expect(running.term).toBe(term);
    // Running means open: the phone may attach at once.
    expect(await rpc.call("term.snapshot", { term })).toMatchObject({ term, open: true });
    await phone.next((m) => m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term);
    await rpc.call("term.input", { term, data: "echo term-$((6*7))\r" });
    await phone.waitForOutput(term, "term-42");
    await rpc.call("term.input", { term, data: "exit 3\r" });
    expect(await pushed(task!.id, "done")).toMatchObject({ exit_code: 3, end_reason: "exit" });

    const rejected = await rpc.call("term.open", { cols: 80, rows: 24 });
    await hub.approveTask({ task: rejected.task!.id, approve: false });
    await expect(rpc.call("term.snapshot", { term: rejected.term })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/not opened/),
    });

    // Closing a terminal that still awaits approval withdraws the request.
    const withdrawn = await rpc.call("term.open", { cols: 80, rows: 24 });
    await rpc.call("term.close", { term: withdrawn.term });
    expect((await rpc.call("tasks.get", { task: withdrawn.task!.id })).task).toMatchObject({
      state: "rejected",
      end_reason: "cancelled",
      ended_by: phone.device,
    });

    const audit = (await hub.store.audit.list({ limit: 200 }))
      .filter((a) => a.subject === task!.id || a.subject === term)
      .map((a) => `${a.actor === phone.device ? "phone" : a.actor}:${a.action}`);
    expect(audit.reverse()).toEqual(
      expect.arrayContaining([
        "phone:terminal.requested",
        "phone:task.approved",
        "desktop:task.approved",
        "phone:terminal.opened",
        "hub:terminal.exited",
        "hub:task.finished",
      ]),
    );
  });

  it("a write the sandbox stopped can be escalated from the phone, and runs with full rights only after both approve", async () => {
    const rpc = phone.rpc!;
    // A device policy that wrongly lets `touch` run unasked: the sandbox still stops it.
    await hub.setDevicePolicy({ device: phone.device, policy: { allow: ["touch"] } });
    const marker = join(dir, "escalated-marker");
    const { task } = await rpc.call("tasks.run", { command: `touch ${marker}` });
    expect(task).toMatchObject({ risk: "low", state: "running", sandbox: { mode: "read-only" } });
    expect(await pushed(task.id, "failed")).toMatchObject({ sandbox: { mode: "read-only", blocked: "write" } });
    expect(existsSync(marker)).toBe(false);

    const { task: again } = await rpc.call("tasks.escalate", { task: task.id });
    expect(again).toMatchObject({
      risk: "high",
      state: "awaiting_approval",
      escalated_from: task.id,
      awaiting: ["phone", "desktop"],
    });
    expect(again.approval_expires_at).toBeGreaterThan(Date.now());
    await rpc.call("tasks.approve", { task: again.id, approve: true, command: again.command });
    expect(existsSync(marker)).toBe(false);
    await hub.approveTask({ task: again.id, approve: true });
    expect(await pushed(again.id, "done")).toMatchObject({ sandbox: null });
    expect(existsSync(marker)).toBe(true);
    await hub.setDevicePolicy({ device: phone.device, policy: {} });
  });

  it('"approve for today" by both approvers lets the same request run at once for the rest of the day', async () => {
    const rpc = phone.rpc!;
    const { task } = await rpc.call("tasks.run", { command: "frobnicate-nl --today" });
    await rpc.call("tasks.approve", { task: task.id, approve: true, remember: "today" });
    await hub.approveTask({ task: task.id, approve: true, remember: "today" });
    await pushed(task.id, "failed"); // frobnicate-nl does not exist: it ran, and failed
    const { task: again } = await rpc.call("tasks.run", { command: "frobnicate-nl --today" });
    expect(again).toMatchObject({ state: "running", risk: "high", digest: task.digest });
    expect(await hub.listRememberedApprovals()).toEqual([
      expect.objectContaining({ device: phone.device, digest: task.digest }),
    ]);
    await hub.forgetRememberedApproval({ device: phone.device });
    expect((await rpc.call("tasks.run", { command: "frobnicate-nl --today" })).task.state).toBe("awaiting_approval");
  });

  it("after a restart the phone is told how its interrupted task ended; without a sandbox every command asks", async () => {
    await hub.stop();
    // What a hub killed mid-task leaves behind: a task still "running" in its database.
    const store = await openStore({ file: join(dir, "hub", "hub.db"), log });
    const left = await store.tasks.create({
      command: "sleep 100",
      cwd: null,
      risk: "low",
      reasons: [],
      state: "running",
      requestedBy: phone.device,
      timeoutMs: 60_000,
      startedAt: Date.now(),
    });
    await store.close();
    hub = await HubNode.start({
      ...config(),
      sandbox: {
        kind: "none",
        available: false,
        reason: "No sandbox: bwrap is not installed (apt install bubblewrap); every command asks for approval",
      },
    });
    await hub.whenOnline();
    expect(await pushed(left.id, "failed")).toMatchObject({ end_reason: "hub_interrupted" });

    const info = await phone.rpc!.call("hub.info", {});
    expect(info.sandbox).toMatchObject({ available: false });
    const { task } = await phone.rpc!.call("tasks.run", { command: "ls" });
    expect(task).toMatchObject({ risk: "high", state: "awaiting_approval" });
    expect(task.reasons?.[0]).toBe(
      "no sandbox on this desktop (bwrap is not installed (apt install bubblewrap)), so every command asks",
    );
  });
});
