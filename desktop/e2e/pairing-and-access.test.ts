import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType } from "@neural-link/shared/app";
import { makeCard } from "@neural-link/shared/crypto";
import { parsePairUri, rendezvousOf, sealPairRequest } from "@neural-link/shared/pairing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingDone, PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";

/**
 * Terminals run /bin/sh, not the user's $SHELL: an interactive bash reads the
 * machine's rc files, which here run `pyenv init` and can wait a minute on a lock.
 */
const TEST_SHELL = "/bin/sh";

const log = pino({ level: "silent" });

describe("pairing refusals and per-device access", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  const phones: TestPhone[] = [];
  const requests: PairingRequest[] = [];
  const done: PairingDone[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-pair-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "Access Hub",
      log,
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
    });
    hub.on("pairing.request", (r) => requests.push(r));
    hub.on("pairing.done", (d) => done.push(d));
    await hub.whenOnline();
  });

  afterAll(async () => {
    for (const p of phones) p.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newPhone(name: string): Promise<TestPhone> {
    const phone = new TestPhone(relay.localUrl, name);
    phones.push(phone);
    await phone.connect();
    return phone;
  }

  async function pair(name: string): Promise<TestPhone> {
    const phone = await newPhone(name);
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await expect.poll(() => requests.some((r) => r.device === phone.device), { timeout: 10_000 }).toBe(true);
    await hub.answerPairing({ requestId: requests.find((r) => r.device === phone.device)!.requestId, accept: true });
    await phone.completePairing(invite);
    return phone;
  }

  it("answers a wrong token with nothing, and a refusal with pair.reject", async () => {
    const { uri } = await hub.startPairing();
    const invite = parsePairUri(uri);
    // A phone that knows the rendezvous but not the token (it never saw the QR code).
    const guesser = await newPhone("Guesser");
    guesser.endpoint.peers.set(invite.desktop, invite.box);
    await guesser.gateway.grant(invite.desktop);
    const wrongToken = invite.token.map((b) => b ^ 0xff);
    await guesser.gateway.pairRequest(
      rendezvousOf(invite.token),
      sealPairRequest(guesser.identity, invite.box, wrongToken, makeCard(guesser.identity, "phone", "Guesser")),
    );
    // The honest phone on the same window is asked about, and refused.
    const honest = await newPhone("Honest");
    const { invite: parsed } = await honest.requestPairing(uri);
    await expect.poll(() => requests.some((r) => r.device === honest.device), { timeout: 10_000 }).toBe(true);
    expect(requests.some((r) => r.device === guesser.device)).toBe(false);
    await hub.answerPairing({ requestId: requests.find((r) => r.device === honest.device)!.requestId, accept: false });
    await expect(honest.completePairing(parsed)).rejects.toThrow("pairing was refused");
    expect(done.at(-1)).toMatchObject({ accepted: false });
    expect(guesser.inbox.filter((m) => m.t === AppType.PAIR_REJECT)).toEqual([]);
    expect(await hub.listDevices()).toEqual([]);
    await expect(hub.answerPairing({ requestId: "nope", accept: true })).rejects.toMatchObject({ code: "not_found" });
  });

  it("checks capabilities and keeps each device to its own tasks and terminals", async () => {
    const a = await pair("Phone A");
    const b = await pair("Phone B");
    // Default capabilities leave out the terminal.
    await expect(a.rpc!.call("term.open", { cols: 80, rows: 24 })).rejects.toMatchObject({ code: "forbidden" });
    const { task } = await a.rpc!.call("tasks.run", { command: "echo mine" });
    await expect(b.rpc!.call("tasks.get", { task: task.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(b.rpc!.call("tasks.approve", { task: task.id, approve: true })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await b.rpc!.call("tasks.list", {})).tasks).toEqual([]);

    await hub.setDeviceCaps({ device: a.device, caps: ["chat", "tasks", "approve", "terminal"] });
    await hub.setDeviceCaps({ device: b.device, caps: ["terminal"] });
    const term = await a.openTerminal({ cols: 80, rows: 24 }, (task) => hub.approveTask({ task, approve: true }));
    await expect(b.rpc!.call("term.input", { term, data: "x" })).rejects.toMatchObject({ code: "not_found" });
    expect((await b.rpc!.call("term.list", {})).terms).toEqual([]);
    expect((await hub.listTerminals()).map((t) => t.id)).toEqual([term]);
    await expect(b.rpc!.call("messages.list", {})).rejects.toMatchObject({ code: "forbidden" });
    expect((await hub.listAudit({ limit: 20 })).some((e) => e.action === "rpc.forbidden" && e.actor === b.device)).toBe(
      true,
    );
    expect((await hub.listDevices()).find((d) => d.id === b.device)?.caps).toEqual(["terminal"]);

    // A message from one phone reaches the other phones with chat, not the sender.
    await hub.setDeviceCaps({ device: b.device, caps: ["chat"] });
    const sent = await a.rpc!.call("messages.send", { text: "to everyone" });
    await b.next(
      (m) => m.t === AppType.MESSAGE_NEW && (m.d as { message: { id: string } }).message.id === sent.message.id,
    );
    expect(a.inbox.some((m) => m.t === AppType.MESSAGE_NEW)).toBe(false);

    // Revoking A closes its terminal with it.
    await hub.revokeDevice({ device: a.device });
    await expect.poll(async () => (await hub.listTerminals()).length).toBe(0);
  });

  it("judges a device's commands by its own risk overrides; approving needs its own capability", async () => {
    const c = await pair("Phone C");
    const run = async (command: string) => (await c.rpc!.call("tasks.run", { command })).task;
    expect((await run("echo plain")).risk).toBe("low");

    const info = await hub.setDevicePolicy({
      device: c.device,
      policy: { allow: ["  nl-build   --fast "], high: ["echo"], forbid: ["printf"] },
    });
    expect(info.policy).toEqual({ allow: ["nl-build --fast"], high: ["echo"], forbid: ["printf"] });
    expect((await run("nl-build --fast")).risk).toBe("low");
    expect((await run("nl-build --slow")).risk).toBe("high");
    const asked = await run("echo now");
    expect(asked).toMatchObject({ risk: "high", state: "awaiting_approval" });
    expect(await run("printf x")).toMatchObject({ risk: "forbidden", state: "rejected" });
    // No entry relaxes a built-in forbidden verdict (a device that does not exist, should it ever run).
    await hub.setDevicePolicy({ device: c.device, policy: { allow: ["mkfs.ext4"] } });
    expect(await run("mkfs.ext4 /dev/sdz9")).toMatchObject({ risk: "forbidden", state: "rejected" });
    await expect(hub.setDevicePolicy({ device: c.device, policy: { high: ["x".repeat(201)] } })).rejects.toMatchObject({
      code: "bad_params",
    });
    expect((await hub.listDevices()).find((d) => d.id === c.device)?.policy).toEqual({ allow: ["mkfs.ext4"] });

    // Without `approve` the phone may run commands but not answer for them.
    expect((await hub.setDeviceCaps({ device: c.device, caps: ["tasks", "chat"] })).caps).toEqual(["chat", "tasks"]);
    await expect(c.rpc!.call("tasks.approve", { task: asked.id, approve: false })).rejects.toMatchObject({
      code: "forbidden",
    });
    await hub.setDeviceCaps({ device: c.device, caps: ["chat", "tasks", "approve"] });
    expect((await c.rpc!.call("tasks.approve", { task: asked.id, approve: false })).task.state).toBe("rejected");
    await hub.revokeDevice({ device: c.device });
  });

  it("keeps qos 1 frames in the SQLite outbox while the relay is away, and sends them after reconnecting", async () => {
    const b = phones.find((p) => p.name === "Phone B")!;
    await hub.updateSettings({ relay: { mode: "url", url: "ws://127.0.0.1:9/v1/gateway" } });
    const message = await hub.sendMessage({ text: "written while offline" });
    await expect.poll(() => hub.store.outbox.count()).toBe(1);
    await hub.updateSettings({ relay: { mode: "url", url: relay.localUrl } });
    const got = await b.next(
      (m) => m.t === AppType.MESSAGE_NEW && (m.d as { message: { id: string } }).message.id === message.id,
    );
    expect((got.d as { message: { text: string } }).message.text).toBe("written while offline");
    await expect.poll(() => hub.store.outbox.count()).toBe(0);
  });
});
