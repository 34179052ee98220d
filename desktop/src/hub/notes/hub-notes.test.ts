import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Endpoint, GatewayClient, standardSocketFactory } from "@neural-link/shared/client";
import { generateIdentity, type Identity, makeCard, MemorySeenIds } from "@neural-link/shared/crypto";
import { b64uEncode } from "@neural-link/shared/encoding";
import { type DocLink, DocName, DocReplica, type NotesType, isNotesType } from "@neural-link/shared/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type EmbeddedRelay, startEmbeddedRelay } from "../embedded-relay";
import { HubLink } from "../link/hub-link";
import { openStore, type Store } from "../store";
import { silentLog } from "../store/test-support";
import { type NotesService } from "./notes-service";
import { startHubNotes } from "./hub-notes";

/** A phone made of shared code only: gateway client, end-to-end endpoint, and a DocReplica of the notes. */
class RelayPhone {
  readonly identity: Identity = generateIdentity();
  readonly gateway: GatewayClient;
  readonly endpoint: Endpoint;
  replica: DocReplica | null = null;
  errors: string[] = [];

  constructor(
    relayUrl: string,
    readonly name: string,
  ) {
    this.gateway = new GatewayClient({
      url: relayUrl,
      identity: this.identity,
      socketFactory: standardSocketFactory(WebSocket),
      settings: { ackDelayMs: 5 },
    });
    this.endpoint = new Endpoint({ gateway: this.gateway, identity: this.identity, seen: new MemorySeenIds() });
  }

  get device(): string {
    return this.gateway.device;
  }

  async start(hub: string, hubBox: Uint8Array): Promise<void> {
    this.endpoint.peers.set(hub, hubBox);
    this.gateway.start();
    await this.gateway.whenOnline();
    await this.gateway.grant(hub);
    this.replica = new DocReplica({
      name: DocName.NOTES,
      link: this.link(hub),
      user: { name: this.name, device: this.device },
    });
    this.replica.start();
  }

  /** Online when connected and the hub is too (PRESENCE); every READY is a new epoch. */
  private link(hub: string): DocLink {
    let state = { online: this.gateway.peersOnline().includes(hub), epoch: 1 };
    const listeners = new Set<(s: typeof state) => void>();
    const set = (online: boolean, newEpoch: boolean) => {
      state = { online, epoch: state.epoch + (newEpoch ? 1 : 0) };
      for (const l of [...listeners]) l(state);
    };
    this.gateway.on("ready", (r) => set(r.peersOnline.includes(hub), true));
    this.gateway.on("presence", (p) => p.device === hub && set(p.online, false));
    return {
      // Lost while offline: the next sync step 1 repairs it (this simulated phone keeps no log).
      send: (t, d, qos) =>
        void this.endpoint.send(hub, t, d, qos).catch((err: unknown) => this.errors.push(`send: ${String(err)}`)),
      onMessage: (l: (t: NotesType, d: unknown) => void) =>
        this.endpoint.on("message", (m) => {
          if (m.from === hub && isNotesType(m.t)) l(m.t, m.d);
        }),
      state: () => state,
      onState: (l) => (listeners.add(l), () => void listeners.delete(l)),
    };
  }

  stop(): void {
    this.replica?.destroy();
    this.endpoint.dispose();
    this.gateway.stop();
  }
}

/** Polls until `cond` holds (the network moves at its own pace); fails after a generous bound. */
async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("hub documents through a real relay", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let store: Store;
  let link: HubLink;
  let docs: NotesService;
  let stopDocs: () => Promise<void>;
  let hubIdentity: Identity;
  const phones: RelayPhone[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-docs-relay-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log: silentLog });
    store = await openStore({ file: join(dir, "hub.db"), log: silentLog });
    hubIdentity = generateIdentity();
    for (const [name, caps] of [
      ["alpha", ["doc"]],
      ["bravo", ["doc"]],
      ["nodoc", ["chat"]],
    ] as const) {
      const phone = new RelayPhone(relay.localUrl, name);
      phones.push(phone);
      await store.devices.add({
        id: phone.device,
        name,
        kind: "phone",
        boxPublicKey: b64uEncode(phone.identity.boxPublicKey),
        card: makeCard(phone.identity, "phone", name),
        caps: [...caps],
      });
    }
    link = new HubLink({ identity: hubIdentity, store, log: silentLog, version: "test" });
    ({ service: docs, stop: stopDocs } = await startHubNotes({ store, link, log: silentLog, name: () => "Relay Hub" }));
    await link.connect(relay.localUrl);
    await link.gateway.whenOnline();
    for (const p of phones) await p.start(link.device, hubIdentity.boxPublicKey);
    // A real relay (PGlite) starts here: on a loaded shared machine that alone has taken 20 s.
  }, 120_000);

  afterAll(async () => {
    for (const p of phones) p.stop();
    await stopDocs?.();
    await link?.disconnect();
    await store?.close();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("two phones and the hub converge, and a phone without the doc capability is refused", async () => {
    const [alpha, bravo, nodoc] = phones as [RelayPhone, RelayPhone, RelayPhone];
    await until(() => alpha.replica!.getState().synced && bravo.replica!.getState().synced, "both phones to sync");
    docs.pad().setText("from the hub\n");
    alpha.replica!.setText(`${alpha.replica!.getState().text}from alpha\n`);
    bravo.replica!.setText(`from bravo\n${bravo.replica!.getState().text}`);
    const all = () => [docs.pad().text(), alpha.replica!.getState().text, bravo.replica!.getState().text];
    await until(() => {
      const [h, a, b] = all();
      return h === a && a === b && ["from the hub", "from alpha", "from bravo"].every((s) => h!.includes(s));
    }, "all three copies to converge");
    await until(
      () => nodoc.replica!.getState().error !== null,
      "the refusal to reach the phone without the capability",
    );
    expect(nodoc.replica!.getState().error).toMatch(/may not edit/);
    expect(nodoc.replica!.getState().text).toBe("");
    // Alpha sees bravo editing, relayed through the hub.
    await until(
      () => alpha.replica!.getState().editors.some((e) => e.name === "bravo"),
      "awareness to cross the relay",
    );
    await docs.flush();
  });
});
