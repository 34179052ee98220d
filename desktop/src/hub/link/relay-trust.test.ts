import { generateIdentity } from "@neural-link/shared/crypto";
import type { GatewayStatus, SocketFactory } from "@neural-link/shared/client";
import { Op } from "@neural-link/shared/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type EmbeddedRelay, startEmbeddedRelay } from "../embedded-relay";
import { openTempStore, silentLog } from "../store/test-support";
import type { Store } from "../store";
import { HubLink } from "./hub-link";
import { wsSocketFactory } from "./ws-socket";

/** The real `ws` socket, recording the op of every message the hub writes, per connection. */
function recordingFactory(connections: number[][]): SocketFactory {
  return (url, handlers) => {
    const ops: number[] = [];
    connections.push(ops);
    const socket = wsSocketFactory(url, handlers);
    return {
      send: (data) => {
        // Binary SEND frames carry no op to record; this test looks at HELLO/AUTH only.
        if (typeof data === "string") ops.push((JSON.parse(data) as { op: number }).op);
        socket.send(data);
      },
      close: (code, reason) => socket.close(code, reason),
    };
  };
}

function waitFor(link: HubLink, done: (s: GatewayStatus) => boolean): Promise<GatewayStatus> {
  return new Promise((resolve) => {
    if (done(link.status)) return resolve(link.status);
    const off = link.on("status", (s) => {
      if (done(s)) {
        off();
        resolve(s);
      }
    });
  });
}

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(): Promise<{ store: Store; link: HubLink; connections: number[][] }> {
  const { store, cleanup } = await openTempStore();
  const connections: number[][] = [];
  const link = new HubLink({
    identity: generateIdentity(),
    store,
    log: silentLog,
    version: "test",
    socketFactory: recordingFactory(connections),
  });
  cleanups.push(cleanup, () => link.disconnect());
  return { store, link, connections };
}

async function relayAt(port: number, relayId: string): Promise<EmbeddedRelay> {
  const relay = await startEmbeddedRelay({
    dataDir: "/nonexistent",
    host: "127.0.0.1",
    port,
    relayId,
    db: "memory",
    log: silentLog,
  });
  cleanups.push(() => relay.close());
  return relay;
}

describe("HubLink relay id pinning (trust on first use)", () => {
  it("trusts the first relay id of a URL, then refuses another relay on the same URL without signing", async () => {
    const { store, link, connections } = await setup();
    const first = await relayAt(0, "relay-one");
    await link.connect(first.localUrl);
    await waitFor(link, (s) => s.state === "online");
    await expect.poll(() => store.settings.get("trustedRelayIds")).toEqual({ [first.localUrl]: "relay-one" });
    await link.disconnect();
    await first.close();

    // Someone else's relay now answers at the same address.
    const second = await relayAt(first.port, "relay-two");
    expect(second.localUrl).toBe(first.localUrl);
    await link.connect(second.localUrl);
    const refused = await waitFor(link, (s) => s.state === "closed" && s.lastCloseCode !== null);
    expect(refused.lastCloseCode).toBe(1008);
    expect(refused.lastError).toContain(
      `the relay at ${first.localUrl} now says it is "relay-two", not the "relay-one" this hub trusted`,
    );
    expect(refused.lastError).toContain("--forget-relay");
    expect(link.status).toMatchObject({ state: "closed", lastCloseCode: 1008, relayId: "relay-two" });
    // The first connection signed (AUTH); the one to the other relay wrote nothing at all.
    expect(connections[0]).toContain(Op.AUTH);
    expect(connections.at(-1)).toEqual([]);
    expect(await store.settings.get("trustedRelayIds")).toEqual({ [first.localUrl]: "relay-one" });

    // Forgetting lets the next READY be trusted afresh.
    await link.forgetRelay(second.localUrl);
    await link.connect(second.localUrl);
    await waitFor(link, (s) => s.state === "online");
    await expect.poll(() => store.settings.get("trustedRelayIds")).toEqual({ [first.localUrl]: "relay-two" });
  });

  it("pins an id it is given (the embedded relay) and refuses a relay naming another", async () => {
    const { store, link, connections } = await setup();
    const relay = await relayAt(0, "someone-else");
    await link.connect(relay.localUrl, { relayId: "nlink-embedded" });
    const refused = await waitFor(link, (s) => s.state === "closed" && s.lastCloseCode !== null);
    expect(refused.lastCloseCode).toBe(1008);
    expect(connections.flat()).not.toContain(Op.AUTH);
    // A pinned id is not stored: it is known in-process at every start.
    expect(await store.settings.get("trustedRelayIds")).toEqual({});
  });
});
