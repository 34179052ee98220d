import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";

const log = pino({ level: "silent" });

/**
 * Who sees which messages, and under which name (docs/protocol.md section 11),
 * and what pairing the same phone again keeps: a real hub (SQLite file), the
 * embedded relay on loopback, and phones written from `shared` alone.
 */
describe("messages between several phones, and pairing again", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  const phones: TestPhone[] = [];
  const requests: PairingRequest[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-history-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await HubNode.start({ dataDir: join(dir, "hub"), relay: relay.localUrl, name: "History Hub", log });
    hub.on("pairing.request", (r) => requests.push(r));
    await hub.whenOnline();
  }, 120_000);

  afterAll(async () => {
    for (const p of phones) p.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pair(phone: TestPhone): Promise<{ caps: string[] }> {
    const seen = requests.length;
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await expect
      .poll(() => requests.slice(seen).some((r) => r.device === phone.device), { timeout: 10_000 })
      .toBe(true);
    await hub.answerPairing({
      requestId: requests.slice(seen).find((r) => r.device === phone.device)!.requestId,
      accept: true,
    });
    return phone.completePairing(invite);
  }

  async function newPhone(name: string): Promise<TestPhone> {
    const phone = new TestPhone(relay.localUrl, name);
    phones.push(phone);
    await phone.connect();
    await pair(phone);
    return phone;
  }

  const texts = (ms: { text: string }[]) => ms.map((m) => m.text);

  it("a new phone sees history from its pairing on and its own messages, each labelled with its real author", async () => {
    await hub.sendMessage({ text: "desktop note before any phone" });
    const a = await newPhone("Phone A");
    await a.rpc!.call("messages.send", { text: "hello from A" });
    const b = await newPhone("Phone B");
    await b.rpc!.call("messages.send", { text: "hello from B" });
    await hub.sendMessage({ text: "desktop answer to all" });

    const seenByB = (await b.rpc!.call("messages.list", { limit: 50 })).messages;
    expect(texts(seenByB)).toEqual(["desktop answer to all", "hello from B"]);
    const seenByA = (await a.rpc!.call("messages.list", { limit: 50 })).messages;
    expect(texts(seenByA)).toEqual(["desktop answer to all", "hello from B", "hello from A"]);
    const names = Object.fromEntries(seenByA.map((m) => [m.text, m.sender_name]));
    expect(names).toEqual({
      "desktop answer to all": "History Hub",
      "hello from B": "Phone B",
      "hello from A": "Phone A",
    });

    // Search follows the same rule.
    expect(texts((await b.rpc!.call("messages.search", { query: "hello" })).messages)).toEqual(["hello from B"]);
    expect(texts((await a.rpc!.call("messages.search", { query: "hello" })).messages)).toEqual([
      "hello from B",
      "hello from A",
    ]);
    // The desktop sees everything.
    expect(texts(await hub.searchMessages({ query: "desktop" }))).toEqual([
      "desktop answer to all",
      "desktop note before any phone",
    ]);

    // A live message.new names its sender too.
    await hub.sendMessage({ text: "live one" });
    const live = await b.next(
      (m) => m.t === "message.new" && (m.d as { message: { text: string } }).message.text === "live one",
    );
    expect((live.d as { message: { sender_name?: string } }).message.sender_name).toBe("History Hub");
  }, 60_000);

  it("pairing the same phone again keeps its name, capabilities and history", async () => {
    const a = phones[0]!;
    await hub.renameDevice({ device: a.device, name: "Kitchen phone" });
    await hub.setDeviceCaps({ device: a.device, caps: ["chat", "tasks", "approve", "terminal"] });
    a.inbox.length = 0; // so that the first pairing's pair.accept is not read again
    const { caps } = await pair(a);
    expect(caps).toEqual(["chat", "tasks", "approve", "terminal"]);
    const device = (await hub.listDevices()).find((d) => d.id === a.device)!;
    expect(device).toMatchObject({ name: "Kitchen phone", caps: ["chat", "tasks", "approve", "terminal"] });
    expect(texts((await a.rpc!.call("messages.list", { limit: 50 })).messages)).toContain("hello from A");
  }, 60_000);
});
