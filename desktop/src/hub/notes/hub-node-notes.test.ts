import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DocLink, DocName, DocReplica, type NotesType, isNotesType } from "@neural-link/shared/sync";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../api";
import { TestPhone } from "../../../test/test-phone";
import { type EmbeddedRelay, startEmbeddedRelay } from "../embedded-relay";
import { HubNode } from "../hub-node";

const log = pino({ level: "silent" });

/** The phone's notes replica over the shared-only test phone: online while the hub is (PRESENCE). */
function replicaOn(phone: TestPhone, hub: string): DocReplica {
  let state = { online: phone.gateway.peersOnline().includes(hub), epoch: 1 };
  const listeners = new Set<(s: typeof state) => void>();
  const set = (online: boolean) => {
    state = { online, epoch: state.epoch + 1 };
    for (const l of [...listeners]) l(state);
  };
  const offs = [
    phone.gateway.on("presence", (p) => p.device === hub && set(p.online)),
    phone.gateway.on("ready", (r) => set(r.peersOnline.includes(hub))),
  ];
  const link: DocLink = {
    send: (t, d, qos) => void phone.endpoint.send(hub, t, d, qos).catch(() => {}),
    onMessage: (l: (t: NotesType, d: unknown) => void) =>
      phone.endpoint.on("message", (m) => m.from === hub && isNotesType(m.t) && l(m.t, m.d)),
    state: () => state,
    onState: (l) => (listeners.add(l), () => void listeners.delete(l)),
  };
  const replica = new DocReplica({ name: DocName.NOTES, link, user: { name: "Test Phone", device: phone.device } });
  replica.start();
  const destroy = replica.destroy.bind(replica);
  replica.destroy = () => (offs.forEach((off) => off()), destroy());
  return replica;
}

async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("shared notes through the whole hub (HubNode), a relay and a paired phone", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let phone: TestPhone;
  const start = () => HubNode.start({ dataDir: join(dir, "hub"), relay: relay.localUrl, name: "Docs Hub", log });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-docs-e2e-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await start();
    await hub.whenOnline();
    phone = new TestPhone(relay.localUrl);
    await phone.connect();
    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await until(() => requests.length === 1, "the pairing request");
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    expect((await phone.completePairing(invite)).caps).toContain("doc");
    // A real relay (PGlite) and hub start here: on a loaded shared machine that alone has taken 20 s.
  }, 120_000);

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a phone's notes at the hub, across a hub restart", async () => {
    const first = replicaOn(phone, hub.device);
    await until(() => first.getState().synced, "the first sync");
    first.setText("written on the phone\n");
    // A second, empty replica learns the text only from the hub.
    const second = replicaOn(phone, hub.device);
    await until(
      () => second.getState().text === "written on the phone\n",
      "the hub to hand the text to a fresh replica",
    );
    first.destroy();
    second.destroy();

    await hub.stop();
    hub = await start();
    await hub.whenOnline();
    const third = replicaOn(phone, hub.device);
    await until(() => third.getState().synced, "the sync after the restart");
    expect(third.getState().text).toBe("written on the phone\n");
    third.destroy();
  });
});
