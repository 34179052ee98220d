import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RpcError } from "@neural-link/shared/app";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { PUSH_DEFAULTS } from "../src/hub/push/push-settings";
import { PushStandin, type StandinSubscriber } from "../test/push-standin";
import { TestPhone } from "../test/test-phone";

const log = process.env.PUSH_TEST_LOG
  ? pino({ level: process.env.PUSH_TEST_LOG }, pino.destination({ dest: "/tmp/push-test.log", sync: true }))
  : pino({ level: "silent" });
const WAIT = { timeout: 15_000 };

/**
 * Web Push end to end (docs/hub.md, "Push notifications"): a real relay, a HubNode on a
 * SQLite file, a phone written with `shared` alone that registers a subscription over the
 * encrypted link, and a push service stand-in on loopback that receives the hub's real
 * RFC 8030 POSTs, checks the VAPID JWT (RFC 8292) against the key the phone was given and
 * decrypts the aes128gcm body (RFC 8291) with the subscription's private keys.
 */
describe("push notifications from the hub", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let standin: PushStandin;
  let phone: TestPhone;
  let sub: StandinSubscriber;
  let vapidKey: string | undefined;
  const requests: PairingRequest[] = [];
  /** The hub on its data directory (again after a restart). */
  const startHub = () =>
    HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "Push Hub",
      approvals: "both",
      log,
      // No sandbox: every command of the phone asks, so each one is an approval.
      sandbox: { kind: "none", available: false, reason: "test" },
      executor: { defaultCwd: dir, terminalShell: "/bin/sh" },
      settings: {
        push: { ...PUSH_DEFAULTS, allowedHosts: [...PUSH_DEFAULTS.allowedHosts, "127.0.0.1"], agent: standin.agent },
      },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-push-"));
    standin = await PushStandin.start(() => vapidKey);
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await startHub();
    hub.on("pairing.request", (r) => requests.push(r));
    await hub.whenOnline();
    phone = new TestPhone(relay.localUrl, "Pocket");
    await phone.connect();
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    for (let i = 0; i < 150 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);
    sub = standin.subscriber();
  }, 60_000);

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    await standin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rpc = () => phone.rpc!;
  const kinds = () => standin.payloads(sub).map((p) => p.k);
  const lastOf = async (k: string, fits: (p: Record<string, unknown>) => boolean = () => true) => {
    await expect.poll(() => standin.payloads(sub).some((p) => p.k === k && fits(p)), WAIT).toBe(true);
    return standin
      .payloads(sub)
      .filter((p) => p.k === k && fits(p))
      .at(-1)!;
  };

  it("gives the phone its VAPID key, kept across calls; refuses endpoints that are not push services", async () => {
    const { key } = await rpc().call("push.key", {});
    expect(key).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(Buffer.from(key, "base64url")[0]).toBe(0x04);
    expect((await rpc().call("push.key", {})).key).toBe(key);
    vapidKey = key;
    const evil = { endpoint: "https://192.168.1.1/admin", keys: sub.subscription.keys };
    await expect(rpc().call("push.subscribe", { subscription: evil })).rejects.toMatchObject({
      code: "bad_params",
      message: expect.stringContaining("192.168.1.1"),
    });
    const plain = { endpoint: `http://127.0.0.1:1/push/x`, keys: sub.subscription.keys };
    await expect(rpc().call("push.subscribe", { subscription: plain })).rejects.toBeInstanceOf(RpcError);
    expect(await rpc().call("push.settings", {})).toEqual({
      subscribed: false,
      events: { approval: true, task: true, message: true },
    });
    expect(await rpc().call("push.subscribe", { subscription: sub.subscription })).toEqual({
      subscribed: true,
      events: { approval: true, task: true, message: true },
    });
  });

  it("pushes an approval (command, asker, risk), then 'answered' on the desktop with the same tag and topic", async () => {
    const { task } = await rpc().call("tasks.run", { command: "touch ./rejected-by-desktop" });
    const approval = await lastOf("approval", (p) => p.task === task.id);
    expect(approval).toMatchObject({
      k: "approval",
      task: task.id,
      command: "touch ./rejected-by-desktop",
      full: true,
      asker: "Pocket",
      hub_name: "Push Hub",
      hub: hub.identity ? expect.any(String) : "",
    });
    expect(["high", "low"]).toContain(approval.risk);
    expect(approval.expires_at).toBeGreaterThan(Date.now());
    const received = standin.received.find((r) => r.payload === approval)!;
    expect(received.headers.urgency).toBe("high");
    expect(Number(received.headers.ttl)).toBeLessThanOrEqual(30 * 60);
    expect(received.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(received.claims.aud).toBe(standin.origin);
    // The push service sees ciphertext only.
    expect(received.body.includes(Buffer.from("rejected-by-desktop"))).toBe(false);
    await hub.approveTask({ task: task.id, approve: false });
    const answered = await lastOf("answered", (p) => p.task === task.id);
    expect(answered).toMatchObject({ outcome: "rejected", by: "Push Hub" });
    expect(standin.received.find((r) => r.payload === answered)!.headers.topic).toBe(received.headers.topic);
    expect(standin.refused).toEqual([]);
  });

  it("the phone's own vote is 'voted'; the task's end is a task push with its exit code", async () => {
    const { task } = await rpc().call("tasks.run", { command: "touch ./approved && false" });
    await lastOf("approval", (p) => p.task === task.id);
    await rpc().call("tasks.approve", { task: task.id, approve: true, command: "touch ./approved && false" });
    expect(await lastOf("answered", (p) => p.task === task.id)).toMatchObject({ outcome: "voted", by: "Pocket" });
    await hub.approveTask({ task: task.id, approve: true });
    expect(await lastOf("task", (p) => p.task === task.id)).toMatchObject({
      state: "failed",
      exit_code: 1,
      command: "touch ./approved && false",
    });
  });

  it("pushes new messages, except kinds turned off and while the app is visible", async () => {
    await hub.sendMessage({ text: "first message" });
    expect(await lastOf("message", (p) => p.text === "first message")).toMatchObject({ sender: "Push Hub" });
    expect(await rpc().call("push.settings", { events: { message: false } })).toMatchObject({
      events: { approval: true, task: true, message: false },
    });
    await hub.sendMessage({ text: "muted message" });
    await rpc().call("push.settings", { events: { message: true } });
    await rpc().call("push.visibility", { visible: true });
    await hub.sendMessage({ text: "seen in the app" });
    await rpc().call("push.visibility", { visible: false });
    await hub.sendMessage({ text: "after the app hid" });
    await lastOf("message", (p) => p.text === "after the app hid");
    const texts = standin
      .payloads(sub)
      .filter((p) => p.k === "message")
      .map((p) => p.text);
    expect(texts).not.toContain("muted message");
    expect(texts).not.toContain("seen in the app");
    // The desktop UI reads and changes the same settings.
    const [device] = await hub.listDevices();
    expect(await hub.getPushSettings({ device: device!.id })).toEqual({
      subscribed: true,
      events: { approval: true, task: true, message: true },
    });
    await hub.setPushSettings({ device: device!.id, events: { approval: true, task: false, message: true } });
    expect(await rpc().call("push.settings", {})).toMatchObject({ events: { task: false } });
    const { task } = await rpc().call("tasks.run", { command: "true # quiet" });
    await lastOf("approval", (p) => p.task === task.id);
    await rpc().call("tasks.approve", { task: task.id, approve: true, command: "true # quiet" });
    await hub.approveTask({ task: task.id, approve: true });
    await expect.poll(async () => (await hub.getTask({ task: task.id })).state, WAIT).toBe("done");
    await hub.sendMessage({ text: "marker after the quiet task" });
    await lastOf("message", (p) => p.text === "marker after the quiet task");
    expect(standin.payloads(sub).some((p) => p.k === "task" && p.task === task.id)).toBe(false);
  });

  it("an approval asked while the app is visible is pushed once the app goes out of sight", async () => {
    await rpc().call("push.visibility", { visible: true });
    const { task } = await rpc().call("tasks.run", { command: "touch ./asked-while-visible" });
    await hub.sendMessage({ text: "still visible" });
    await rpc().call("push.visibility", { visible: false });
    expect(await lastOf("approval", (p) => p.task === task.id)).toMatchObject({
      command: "touch ./asked-while-visible",
    });
    // Pushed after the app hid, never while it was visible: the message sent while visible was held back.
    expect(standin.payloads(sub).some((p) => p.text === "still visible")).toBe(false);
    await hub.approveTask({ task: task.id, approve: false });
    await lastOf("answered", (p) => p.task === task.id);
  });

  it("an approval pushed before a hub restart still gets its 'answered' when it is decided after it", async () => {
    const { task } = await rpc().call("tasks.run", { command: "touch ./asked-before-restart" });
    await lastOf("approval", (p) => p.task === task.id);
    await hub.stop();
    hub = await startHub();
    await hub.whenOnline();
    await hub.approveTask({ task: task.id, approve: false });
    expect(await lastOf("answered", (p) => p.task === task.id)).toMatchObject({ outcome: "rejected", by: "Push Hub" });
    expect(standin.refused).toEqual([]);
  }, 60_000);

  it("forgets a subscription the push service answers 410 for", async () => {
    sub.status = 410;
    const before = kinds().length;
    await hub.sendMessage({ text: "to a gone subscription" });
    await expect.poll(() => kinds().length, WAIT).toBe(before + 1);
    await expect.poll(async () => (await rpc().call("push.settings", {})).subscribed, WAIT).toBe(false);
    await hub.sendMessage({ text: "nobody to send to" });
    await rpc().call("hub.info", {});
    expect(standin.payloads(sub).some((p) => p.text === "nobody to send to")).toBe(false);
  });
});
