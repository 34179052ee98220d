import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, DEFAULT_PHONE_CAPS, type Task } from "@neural-link/shared/app";
import { b64uEncode } from "@neural-link/shared/encoding";
import { randomBytes } from "@neural-link/shared/crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";

/**
 * Terminals run /bin/sh, not the user's $SHELL: an interactive bash reads the
 * machine's rc files, which here run `pyenv init` and can wait a minute on a lock.
 */
const TEST_SHELL = "/bin/sh";

const log = pino({ level: "silent" });

describe("hub, relay and a phone built from shared alone", () => {
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let phone: TestPhone;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-e2e-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "E2E Hub",
      approvals: "both",
      log,
      settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
    });
    await hub.whenOnline();
    phone = new TestPhone(relay.localUrl);
    await phone.connect();
  });

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const taskUpdate = (id: string, state: Task["state"]) =>
    phone.next(
      (m) =>
        m.t === AppType.TASK_UPDATED &&
        (m.d as { task: Task }).task.id === id &&
        (m.d as { task: Task }).task.state === state,
    );

  it("pairs through the QR link, with the same SAS on both screens", async () => {
    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    const invite = await hub.startPairing();
    const { invite: parsed, sas } = await phone.requestPairing(invite.uri);
    expect(parsed.desktop).toBe(hub.device);
    await expect.poll(() => requests.length, { timeout: 10_000 }).toBe(1);
    expect(requests[0]).toMatchObject({ device: phone.device, deviceName: "Test Phone", sas });
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    const { caps } = await phone.completePairing(parsed);
    expect(caps).toContain("terminal");
    const devices = await hub.listDevices();
    expect(devices.map((d) => d.id)).toEqual([phone.device]);
    // The token is spent: a second request on the same QR code is not answered with a question.
    await expect(phone.requestPairing(invite.uri)).rejects.toMatchObject({ code: "rendezvous_closed" });
  });

  it("answers hub.info and the message methods, and pushes desktop messages", async () => {
    const rpc = phone.rpc!;
    expect(await rpc.call("hub.info", {})).toMatchObject({
      device: hub.device,
      name: "E2E Hub",
      caps: expect.arrayContaining(["chat", "tasks"]),
    });
    const sent = await rpc.call("messages.send", { text: "hello from the phone" });
    expect(sent.message).toMatchObject({ sender: phone.device, text: "hello from the phone" });
    const desktop = await hub.sendMessage({ text: "hello from the desktop" });
    const pushed = await phone.next((m) => m.t === AppType.MESSAGE_NEW);
    expect(pushed.d).toMatchObject({ message: { id: desktop.id, text: "hello from the desktop" } });
    const list = await rpc.call("messages.list", {});
    expect(list.messages.map((m) => m.text)).toEqual(["hello from the desktop", "hello from the phone"]);
    const found = await rpc.call("messages.search", { query: "phone" });
    expect(found.messages.map((m) => m.id)).toEqual([sent.message.id]);
  });

  it("runs a low-risk task at once and never starts a forbidden one", async () => {
    const rpc = phone.rpc!;
    const { task } = await rpc.call("tasks.run", { command: "echo e2e-$((20+22))" });
    expect(task.risk).toBe("low");
    const done = await taskUpdate(task.id, "done");
    expect((done.d as { task: Task }).task).toMatchObject({ exit_code: 0, output: expect.stringContaining("e2e-42") });
    expect((await rpc.call("tasks.get", { task: task.id })).task.state).toBe("done");
    const forbidden = await rpc.call("tasks.run", { command: "rm -rf /" });
    expect(forbidden.task).toMatchObject({ risk: "forbidden", state: "rejected" });
    const mine = await rpc.call("tasks.list", {});
    expect(mine.tasks.map((t) => t.id)).toEqual([forbidden.task.id, task.id]);
  });

  it("holds a high-risk task until both the phone and the desktop approve, and drops it on a refusal", async () => {
    const rpc = phone.rpc!;
    const victim = join(dir, "victim");
    writeFileSync(victim, "x");
    const { task } = await rpc.call("tasks.run", { command: `rm -f ${victim}` });
    expect(task).toMatchObject({ risk: "high", state: "awaiting_approval", awaiting: ["phone", "desktop"] });
    const approved = await rpc.call("tasks.approve", { task: task.id, approve: true, command: task.command });
    expect(approved.task.awaiting).toEqual(["desktop"]);
    expect(existsSync(victim)).toBe(true);
    await hub.approveTask({ task: task.id, approve: true });
    await taskUpdate(task.id, "done");
    expect(existsSync(victim)).toBe(false);

    writeFileSync(victim, "y");
    const second = (await rpc.call("tasks.run", { command: `rm -f ${victim}` })).task;
    await expect(
      rpc.call("tasks.approve", { task: second.id, approve: true, command: "rm -f /elsewhere" }),
    ).rejects.toMatchObject({ code: "conflict" });
    await hub.approveTask({ task: second.id, approve: false });
    await taskUpdate(second.id, "rejected");
    expect(existsSync(victim)).toBe(true);
  });

  it("applies a changed approvals mode to the next decision, without a restart", async () => {
    const rpc = phone.rpc!;
    const victim = join(dir, "victim-modes");
    try {
      await hub.updateSettings({ approvals: "phone" });
      writeFileSync(victim, "x");
      const { task } = await rpc.call("tasks.run", { command: `rm -f ${victim}` });
      expect(task).toMatchObject({ state: "awaiting_approval", awaiting: ["phone"] });
      await expect(hub.approveTask({ task: task.id, approve: true })).rejects.toMatchObject({ code: "forbidden" });
      await rpc.call("tasks.approve", { task: task.id, approve: true, command: task.command });
      await taskUpdate(task.id, "done");
      expect(existsSync(victim)).toBe(false);

      // Changed while a task waits: the phone's yes no longer decides, the desktop's does.
      writeFileSync(victim, "y");
      const second = (await rpc.call("tasks.run", { command: `rm -f ${victim}` })).task;
      await hub.updateSettings({ approvals: "desktop" });
      await expect(
        rpc.call("tasks.approve", { task: second.id, approve: true, command: second.command }),
      ).rejects.toMatchObject({ code: "forbidden" });
      expect((await rpc.call("tasks.get", { task: second.id })).task.awaiting).toEqual(["desktop"]);
      await hub.approveTask({ task: second.id, approve: true });
      await taskUpdate(second.id, "done");
      expect(existsSync(victim)).toBe(false);
    } finally {
      await hub.updateSettings({ approvals: "both" });
    }
  });

  it("opens a terminal once approved, streams its echo, and serves a snapshot", async () => {
    const rpc = phone.rpc!;
    // A terminal opens only once approved, by the phone and the desktop in "both" mode.
    const term = await phone.openTerminal({ cols: 80, rows: 24 }, (task) => hub.approveTask({ task, approve: true }));
    // Type only after the prompt: a shell may flush what was typed before its line editor started.
    await phone.next((m) => m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term);
    await rpc.call("term.input", { term, data: "echo term-$((6*7))\r" });
    await phone.waitForOutput(term, "term-42");
    const snap = await rpc.call("term.snapshot", { term });
    expect(snap).toMatchObject({ term, open: true, data: expect.stringContaining("term-42") });
    await rpc.call("term.resize", { term, cols: 100, rows: 30 });
    // term.list also names the command and who opened it (optional fields): match the ones this test set.
    expect((await rpc.call("term.list", {})).terms).toMatchObject([{ term, open: true, cols: 100, rows: 30 }]);
    await rpc.call("term.close", { term });
    await expect(rpc.call("term.input", { term, data: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses frames from an unpaired device at the relay", async () => {
    const stranger = new TestPhone(relay.localUrl, "Stranger");
    await stranger.connect();
    stranger.endpoint.peers.set(hub.device, hub.identity.boxPublicKey);
    await expect(
      stranger.endpoint.send(hub.device, AppType.RPC, { call: "c1", method: "hub.info", params: {} }, 1),
    ).rejects.toMatchObject({
      code: "not_granted",
    });
    stranger.stop();
  });

  it("drops what a revoked device sent before the relay heard of the revoke, and the relay refuses it after", async () => {
    // The hub goes away; the phone's call waits at the relay.
    const dataDir = join(dir, "hub");
    await hub.stop();
    const queued = await phone.endpoint.send(
      hub.device,
      AppType.RPC,
      { call: "late", method: "messages.send", params: { text: "sent while revoked" } },
      1,
    );
    expect(queued.outcome).toBe("stored");
    // The hub comes back unable to reach the relay, and the person revokes the phone.
    hub = await HubNode.start({
      dataDir,
      relay: "ws://127.0.0.1:9/v1/gateway",
      log,
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
    });
    await hub.revokeDevice({ device: phone.device });
    expect(await hub.listDevices()).toEqual([]);
    // Back online: the stored frame arrives before the REVOKE reaches the relay, and is dropped.
    await hub.updateSettings({ relay: { mode: "url", url: relay.localUrl } });
    await hub.whenOnline();
    await expect
      .poll(
        () =>
          phone.gateway.send({ id: b64uEncode(randomBytes(16)), to: hub.device, body: "AAAA", qos: 1 }).then(
            () => "stored",
            (e: { code?: string }) => e.code,
          ),
        { timeout: 10_000 },
      )
      .toBe("not_granted");
    await expect.poll(() => hub.droppedFrames().unknown_peer, { timeout: 5000 }).toBe(1);
    expect(await hub.searchMessages({ query: "revoked" })).toEqual([]);
    await expect(phone.rpc!.call("hub.info", {}, { timeoutMs: 3000 })).rejects.toMatchObject({ code: "unavailable" });
    // The phone was told, through the hub's outbox, once the hub was back.
    expect((await phone.next((m) => m.t === AppType.DEVICE_REVOKED)).d).toEqual({ device: phone.device });
    const audit = await hub.listAudit({ limit: 50 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "device.paired",
        "device.revoked",
        "task.requested",
        "task.approved",
        "task.rejected",
        "terminal.opened",
      ]),
    );
  });
});
