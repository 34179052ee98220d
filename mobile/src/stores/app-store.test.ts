import { describe, expect, it } from "vitest";
import { deviceIdOf, generateIdentity } from "@neural-link/shared/crypto";
import { b64uEncode } from "@neural-link/shared/encoding";
import { memoryKeyValue } from "../storage/kv";
import { getSelected, listPairings, type Pairing } from "../storage/pairings-store";
import { ScriptedHub } from "../../test/scripted-hub";
import { createAppStore } from "./app-store";

function pairing(name: string): Pairing {
  const id = generateIdentity();
  return {
    device: b64uEncode(id.signPublicKey),
    box: b64uEncode(id.boxPublicKey),
    name,
    relay: "ws://127.0.0.1:1/v1/gateway",
    caps: ["chat"],
    pairedAt: 1,
  };
}

/** Links made by the store, so the test can see which were closed. */
function linkFactory() {
  const made: { pairing: Pairing; hub: ScriptedHub }[] = [];
  const linkFor = (p: Pairing) => {
    const hub = new ScriptedHub().on("messages.list", () => ({ messages: [] })).on("tasks.list", () => ({ tasks: [] }));
    made.push({ pairing: p, hub });
    return hub;
  };
  return { made, linkFor };
}

describe("app store", () => {
  it("starts on the pairing screen with a fresh identity and no session", async () => {
    const { linkFor, made } = linkFactory();
    const app = createAppStore({ kv: memoryKeyValue(), linkFor });
    await app.getState().init();
    expect(app.getState()).toMatchObject({ phase: "ready", tab: "desktops", session: null, pairings: [] });
    expect(app.getState().identity?.signPublicKey).toHaveLength(32);
    expect(made).toEqual([]);
  });

  it("stores the relay id a link trusted with the pairing, so the next link is given it", async () => {
    const kv = memoryKeyValue();
    const { linkFor, made } = linkFactory();
    const app = createAppStore({ kv, linkFor });
    await app.getState().init();
    const a = pairing("A");
    await app.getState().addPairing(a);
    expect(made[0]?.pairing.relayId).toBeUndefined();
    await app.getState().relayTrusted(a.device, "relay-one");
    expect(app.getState().pairings[0]?.relayId).toBe("relay-one");
    expect((await listPairings(kv))[0]?.relayId).toBe("relay-one");
    app.getState().pauseSession();
    await app.getState().resumeSession();
    expect(made.at(-1)?.pairing.relayId).toBe("relay-one");
  });

  it("switches between paired desktops, closing the old link, and remembers the choice", async () => {
    const kv = memoryKeyValue();
    const { linkFor, made } = linkFactory();
    const app = createAppStore({ kv, linkFor });
    await app.getState().init();
    const a = pairing("A");
    const b = pairing("B");
    await app.getState().addPairing(a);
    await app.getState().addPairing(b);
    expect(app.getState().session?.pairing.name).toBe("B");
    expect(made[0]?.hub.closed).toBe(true);
    await app.getState().select(a.device);
    expect(app.getState().session?.pairing.name).toBe("A");
    expect(await getSelected(kv)).toBe(a.device);

    // A restart opens the desktop chosen last.
    const again = createAppStore({ kv, linkFor });
    await again.getState().init();
    expect(again.getState()).toMatchObject({ tab: "chat" });
    expect(again.getState().session?.pairing.name).toBe("A");
  });

  it("forgetting the desktop in use moves to another one, or to none", async () => {
    const { linkFor } = linkFactory();
    const app = createAppStore({ kv: memoryKeyValue(), linkFor });
    await app.getState().init();
    const a = pairing("A");
    await app.getState().addPairing(a);
    await app.getState().forget(a.device);
    expect(app.getState().session).toBeNull();
    expect(app.getState().pairings).toEqual([]);
  });

  it("lets go of the session's connection during a pairing and takes it back after", async () => {
    const { linkFor, made } = linkFactory();
    const app = createAppStore({ kv: memoryKeyValue(), linkFor });
    await app.getState().init();
    await app.getState().addPairing(pairing("A"));
    app.getState().pauseSession();
    expect(made[0]?.hub.closed).toBe(true);
    expect(app.getState().session).toBeNull();
    await app.getState().resumeSession();
    expect(app.getState().session?.pairing.name).toBe("A");
    expect(made).toHaveLength(2);
  });

  it("says in words why it cannot start", async () => {
    const kv = memoryKeyValue();
    await kv.set("identity/v1", { signPublicKey: "x", signSecretKey: "y", boxPublicKey: "z", boxSecretKey: "w" });
    const app = createAppStore({ kv, linkFor: linkFactory().linkFor });
    await app.getState().init();
    expect(app.getState().phase).toBe("error");
    expect(app.getState().error).toMatch(/identity/);
  });
});

describe("session", () => {
  it("routes pushes to the stores and refetches lists each time the link comes back", async () => {
    const { linkFor, made } = linkFactory();
    const kv = memoryKeyValue();
    const app = createAppStore({ kv, linkFor });
    await app.getState().init();
    await app.getState().addPairing(pairing("A"));
    const hub = made[0]!.hub;
    const session = app.getState().session!;
    await Promise.resolve();
    expect(hub.callsOf("messages.list")).toHaveLength(1);
    hub.push("message.new", { message: { id: "m1", conversation: "default", sender: "x", ts: 1, text: "hi" } });
    expect(session.chat.getState().messages.map((m) => m.text)).toEqual(["hi"]);
    hub.setStatus({ state: "offline" });
    hub.setStatus({ state: "online", epoch: 2 });
    expect(hub.callsOf("messages.list")).toHaveLength(2);
    expect(hub.callsOf("tasks.list")).toHaveLength(2);
    // The desktop's hub restarts while the phone stays connected: same epoch, but the lists are refetched.
    hub.setStatus({ peerOnline: false });
    expect(hub.callsOf("tasks.list")).toHaveLength(2);
    hub.setStatus({ peerOnline: true });
    expect(hub.callsOf("tasks.list")).toHaveLength(3);
    expect(hub.callsOf("hub.info")).toHaveLength(3);
    hub.push("device.revoked", { device: "someone else" });
    expect(session.revoked.getState().revoked).toBe(false);
    hub.push("device.revoked", { device: deviceIdOf(app.getState().identity!.signPublicKey) });
    expect(session.revoked.getState().revoked).toBe(true);
    // A reload still knows: the status bar and the Run button must not say otherwise.
    await expect.poll(async () => (await listPairings(kv))[0]?.revoked).toBe(true);
    const reloaded = createAppStore({ kv, linkFor });
    await reloaded.getState().init();
    expect(reloaded.getState().session?.revoked.getState().revoked).toBe(true);
    // Pairing the same desktop again clears it.
    await reloaded.getState().addPairing({ ...reloaded.getState().pairings[0]!, revoked: undefined });
    expect(reloaded.getState().session?.revoked.getState().revoked).toBe(false);
  });
});
