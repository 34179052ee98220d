import { describe, expect, it } from "vitest";
import { generateIdentity, MemorySeenIds } from "@neural-link/shared/crypto";
import { b64uEncode } from "@neural-link/shared/encoding";
import { computeSas, encodePairUri, newPairToken } from "@neural-link/shared/pairing";
import { createGatewayPairing } from "../pairing/gateway-pairing";
import { pairWithDesktop } from "../pairing/pair-flow";
import { PairingRefusedError } from "../pairing/pairing-gateway";
import type { Pairing } from "../storage/pairings-store";
import { ScriptedRelay } from "../../test/scripted-relay";
import type { LinkStatus } from "./hub-link";
import { createGatewayLink } from "./gateway-link";
import { linkStateWords, whyCannotCall } from "./link-words";

const client = { name: "test", version: "0" };
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

function setup() {
  const relay = new ScriptedRelay();
  const phone = generateIdentity();
  relay.phoneBox = phone.boxPublicKey;
  const pairing: Pairing = {
    device: relay.desktopId,
    box: b64uEncode(relay.desktop.boxPublicKey),
    name: "Desk",
    relay: "ws://relay.test/v1/gateway",
    caps: ["chat"],
    pairedAt: 1,
  };
  return { relay, phone, pairing };
}

describe("gateway link", () => {
  it("reports connection and presence, grants the desktop, and routes pushes but not RPC traffic", async () => {
    const { relay, phone, pairing } = setup();
    relay.peersOnline = [relay.desktopId];
    const link = createGatewayLink(pairing, phone, { socketFactory: relay.factory, seen: new MemorySeenIds(), client });
    const states: LinkStatus[] = [];
    link.onStatus((s) => states.push(s));
    const pushes: string[] = [];
    link.onPush((p) => pushes.push(p.t));
    await until(() => link.status().state === "online");
    expect(link.status()).toMatchObject({ peerOnline: true, epoch: 1 });
    await until(() => relay.received.some((m) => m.op === 8));
    expect(relay.received.find((m) => m.op === 8)?.d.peer).toBe(relay.desktopId);

    relay.event("PRESENCE", { device: relay.desktopId, online: false });
    expect(link.status().peerOnline).toBe(false);
    relay.deliver("message.new", { message: { id: "m", conversation: "c", sender: "s", ts: 1, text: "hi" } });
    relay.deliver("rpc.result", { call: "nobody-asked", result: {} });
    await until(() => pushes.length === 1);
    expect(pushes).toEqual(["message.new"]);
    // Every qos 1 frame is acknowledged, including the stray RPC answer.
    await until(() => relay.received.filter((m) => m.op === 6).flatMap((m) => m.d.ids as string[]).length === 2);
    link.close();
  });

  it("sends a qos 0 message without asking for the relay's answer when told not to confirm it", async () => {
    const { relay, phone, pairing } = setup();
    relay.peersOnline = [relay.desktopId];
    const link = createGatewayLink(pairing, phone, { socketFactory: relay.factory, seen: new MemorySeenIds(), client });
    await until(() => link.status().state === "online");
    const sends = () => relay.received.filter((m) => m.op === 5);
    await link.send("term.in", { term: "T1", data: "a" }, 0, { confirm: false });
    await link.send("term.in", { term: "T1", data: "b" }, 0);
    await until(() => sends().length === 2);
    const [unconfirmed, confirmed] = sends();
    // Without a ref the relay answers nothing (docs/protocol.md section 9); the default asks.
    expect(unconfirmed!.d.ref).toBeUndefined();
    expect(typeof confirmed!.d.ref).toBe("string");
    link.close();
  });

  it("says so when the relay refuses the GRANT, instead of dropping the failure", async () => {
    const { relay, phone, pairing } = setup();
    relay.refuse.set(8, "bad_request");
    const link = createGatewayLink(pairing, phone, { socketFactory: relay.factory, seen: new MemorySeenIds(), client });
    await until(() => link.status().error !== undefined);
    expect(link.status().error).toMatch(/did not accept this phone's grant/);
    link.close();
  });

  it("counts a new epoch on each reconnect, and answers calls through the desktop's sealed replies", async () => {
    const { relay, phone, pairing } = setup();
    const link = createGatewayLink(pairing, phone, {
      socketFactory: relay.factory,
      seen: new MemorySeenIds(),
      client,
      rpcTimeoutMs: 2000,
    });
    await until(() => link.status().state === "online");
    // The phone asks for binary frames; this relay does not grant them (an older relay), so the call
    // below travels as JSON (the scripted relay throws on a binary write).
    expect(relay.received.find((m) => m.op === 2)?.d.features).toEqual(["binary-frames-1"]);
    relay.drop();
    expect(link.status().state).toBe("offline");
    await until(() => link.status().state === "online");
    expect(link.status().epoch).toBe(2);

    const answer = link.call("messages.search", { query: "x" });
    await until(() => relay.received.some((m) => m.op === 5));
    // The call went out sealed to the desktop as qos 1; the desktop opens it and answers.
    const send = relay.received.find((m) => m.op === 5)!;
    expect(send.d).toMatchObject({ to: relay.desktopId, qos: 1 });
    const inner = relay.open(send);
    expect(inner).toMatchObject({ t: "rpc", d: { method: "messages.search", params: { query: "x" } } });
    const message = { id: "m1", conversation: "c", sender: relay.desktopId, ts: 1, text: "x marks" };
    relay.deliver("rpc.result", { call: (inner.d as { call: string }).call, result: { messages: [message] } });
    await expect(answer).resolves.toEqual({ messages: [message] });
    link.close();
  });
});

describe("gateway link relay id pinning", () => {
  it("trusts the relay id of the first READY, then refuses a relay naming another without signing", async () => {
    const { relay, phone, pairing } = setup();
    const trusted: [string, string][] = [];
    const deps = {
      socketFactory: relay.factory,
      seen: new MemorySeenIds(),
      client,
      relayTrusted: (d: string, r: string) => trusted.push([d, r]),
    };
    const first = createGatewayLink(pairing, phone, deps);
    await until(() => first.status().state === "online");
    expect(trusted).toEqual([[relay.desktopId, "test-relay"]]);
    // Within the same link: the relay restarts as someone else's at the same URL.
    relay.relayId = "another-relay";
    const authsBefore = relay.received.filter((m) => m.op === 2).length;
    relay.drop();
    await until(() => first.status().state === "closed");
    expect(relay.received.filter((m) => m.op === 2).length).toBe(authsBefore);
    expect(linkStateWords(first.status())).toMatch(
      /^Disconnected: the relay changed identity \(it says "another-relay", not the "test-relay" this phone trusted\), so this phone does not connect/,
    );
    first.close();

    // A later start, with the id stored in the pairing: still refused, nothing signed, nothing stored.
    const second = createGatewayLink({ ...pairing, relayId: "test-relay" }, phone, deps);
    await until(() => second.status().state === "closed");
    expect(relay.received.filter((m) => m.op === 2).length).toBe(authsBefore);
    expect(whyCannotCall(second.status(), false)).toMatch(/relay changed identity/);
    expect(trusted).toHaveLength(1);
    second.close();
  });

  it("connects when the pairing's relay id is the one the relay names, and stores nothing new", async () => {
    const { relay, phone, pairing } = setup();
    const trusted: string[] = [];
    const link = createGatewayLink({ ...pairing, relayId: "test-relay" }, phone, {
      socketFactory: relay.factory,
      seen: new MemorySeenIds(),
      client,
      relayTrusted: (_d, r) => trusted.push(r),
    });
    await until(() => link.status().state === "online");
    expect(trusted).toEqual([]);
    link.close();
  });
});

describe("gateway pairing", () => {
  it("pairs through the client, and words a closed rendezvous", async () => {
    const relay = new ScriptedRelay();
    const phone = generateIdentity();
    const token = newPairToken();
    const uri = encodePairUri({
      relay: "ws://relay.test/v1/gateway",
      desktop: relay.desktopId,
      box: relay.desktop.boxPublicKey,
      token,
      expires: Math.floor(Date.now() / 1000) + 60,
      name: "Desk",
    });
    relay.refuse.set(12, "rendezvous_closed");
    const sas: string[] = [];
    const attempt = pairWithDesktop(uri, {
      identity: phone,
      phoneName: "p",
      now: Date.now,
      answerTimeoutMs: 1000,
      onProgress: (p) => sas.push(p.sas),
      gatewayFor: (url) =>
        createGatewayPairing(url, phone, {
          socketFactory: relay.factory,
          seen: new MemorySeenIds(),
          client,
          connectTimeoutMs: 1000,
        }),
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PairingRefusedError);
    expect((error as PairingRefusedError).reason).toBe("rendezvous_closed");
    expect(sas[0]).toBe(computeSas(relay.desktop.signPublicKey, phone.signPublicKey, token));
    expect(relay.received.map((m) => m.op)).toEqual([2, 8, 12]);
  });

  it("gives up on a relay that never answers", async () => {
    const phone = generateIdentity();
    const silent = createGatewayPairing("ws://relay.test/v1/gateway", phone, {
      socketFactory: () => ({ send: () => {}, close: () => {} }),
      seen: new MemorySeenIds(),
      client,
      connectTimeoutMs: 50,
    });
    const error = await silent.open().catch((e: unknown) => e);
    expect((error as PairingRefusedError).reason).toBe("network");
    silent.close();
  });
});
