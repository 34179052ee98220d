import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RpcError } from "@neural-link/shared/app";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";

const log = pino({ level: "silent" });

/** The refusal of a call, as the phone sees it. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof RpcError ? err.code : String(err);
  }
  return "accepted";
}

/**
 * Saved commands and history (docs/protocol.md section 11, "Saved commands
 * and history") over the real link: phones sealed end to end through a real
 * relay, a real hub with its SQLite file, restarted midway.
 */
describe("favorites and history, stored on the hub, over the relay", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  const phones: TestPhone[] = [];
  const start = () =>
    HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "Favorites Hub",
      log,
      settings: { favorites: { favoritesMax: 3, historyKeep: 500 } },
      executor: { defaultCwd: dir, terminalShell: "/bin/sh" },
    });
  const pair = async (name: string): Promise<TestPhone> => {
    const phone = new TestPhone(relay.localUrl, name);
    phones.push(phone);
    await phone.connect();
    const requests: PairingRequest[] = [];
    const off = hub.on("pairing.request", (r) => requests.push(r));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    for (let i = 0; i < 400 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    off();
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);
    return phone;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-favorites-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await start();
    await hub.whenOnline();
  }, 60_000);

  afterAll(async () => {
    for (const p of phones) p.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a phone saves commands; the same command and folder saved again is one favorite with the new label", async () => {
    const a = await pair("Phone A");
    const first = await a.rpc!.call("favorites.save", { command: "git status", cwd: dir });
    const again = await a.rpc!.call("favorites.save", { command: "git status", cwd: dir, label: "Status" });
    expect(again.favorite).toEqual({ ...first.favorite, label: "Status" });
    await a.rpc!.call("favorites.save", { command: "npm test" });
    expect(
      (await a.rpc!.call("favorites.list", {})).favorites.map((f) => [f.command, f.cwd ?? null, f.label ?? null]),
    ).toEqual([
      ["git status", dir, "Status"],
      ["npm test", null, null],
    ]);
  }, 60_000);

  it("refuses bad input at the boundary and past the limit, and keeps what was saved", async () => {
    const a = phones[0]!;
    expect(await refusal(a.rpc!.call("favorites.save", { command: "" }))).toBe("bad_params");
    expect(await refusal(a.rpc!.call("favorites.save", { command: "x".repeat(9000) }))).toBe("bad_params");
    expect(await refusal(a.rpc!.call("favorites.remove", { favorite: "no-such-id" }))).toBe("not_found");
    await a.rpc!.call("favorites.save", { command: "make" });
    expect(await refusal(a.rpc!.call("favorites.save", { command: "make lint" }))).toBe("conflict");
    expect((await a.rpc!.call("favorites.list", {})).favorites).toHaveLength(3);
  }, 30_000);

  it("every run enters the history once per command and folder, counted; a phone paired later sees only runs since", async () => {
    const a = phones[0]!;
    const run = (p: TestPhone, command: string, cwd?: string) =>
      p.rpc!.call("tasks.run", { command, ...(cwd ? { cwd } : {}) });
    const t1 = (await run(a, "echo one")).task;
    await run(a, "echo two", dir);
    const t3 = (await run(a, "echo one")).task;
    const history = (await a.rpc!.call("history.list", {})).commands;
    expect(history.map((h) => [h.command, h.cwd ?? null, h.runs])).toEqual([
      ["echo one", null, 2],
      ["echo two", dir, 1],
    ]);
    expect(history[0]!.last_task).toBe(t3.id);
    expect(history[0]!.last_task).not.toBe(t1.id);

    const b = await pair("Phone B");
    // The favorites are the hub's: the second phone has them at once.
    expect((await b.rpc!.call("favorites.list", {})).favorites.map((f) => f.command)).toEqual([
      "git status",
      "npm test",
      "make",
    ]);
    // Runs from before its pairing are not its to see; its own and later runs are.
    expect((await b.rpc!.call("history.list", {})).commands).toEqual([]);
    expect(await refusal(b.rpc!.call("history.remove", { entry: history[1]!.id }))).toBe("not_found");
    await run(b, "echo one");
    expect((await b.rpc!.call("history.list", {})).commands.map((h) => [h.command, h.runs])).toEqual([["echo one", 3]]);
  }, 60_000);

  it("after a hub restart both are still there (SQLite), and removing works from any phone", async () => {
    await hub.stop();
    hub = await start();
    await hub.whenOnline();
    const [a, b] = phones as [TestPhone, TestPhone];
    const favorites = (await b.rpc!.call("favorites.list", {})).favorites;
    expect(favorites).toHaveLength(3);
    await b.rpc!.call("favorites.remove", { favorite: favorites[0]!.id });
    expect((await a.rpc!.call("favorites.list", {})).favorites.map((f) => f.command)).toEqual(["npm test", "make"]);
    const entry = (await a.rpc!.call("history.list", {})).commands.find((h) => h.command === "echo two")!;
    await a.rpc!.call("history.remove", { entry: entry.id });
    expect((await a.rpc!.call("history.list", { limit: 10 })).commands.map((h) => h.command)).toEqual(["echo one"]);
  }, 60_000);
});
