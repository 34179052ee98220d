import { describe, expect, it } from "vitest";
import { generateIdentity } from "@neural-link/shared/crypto";
import type { PairingGateway } from "../pairing/pairing-gateway";
import type { Pairing } from "../storage/pairings-store";
import { createPairingStore, type PairingEnv } from "./pairing-store";

const env = (gatewayFor: PairingEnv["gatewayFor"]) => async (): Promise<PairingEnv> => ({
  identity: generateIdentity(),
  phoneName: "phone",
  now: Date.now,
  answerTimeoutMs: 50,
  gatewayFor,
});

const unreachable = (): PairingGateway => ({
  open: () => Promise.reject(new Error("socket refused")),
  grant: async () => {},
  pairRequest: async () => {},
  onPeerMessage: () => () => {},
  close: () => {},
});

describe("pairing store", () => {
  it("words a pasted text that is not a pairing code", async () => {
    const saved: Pairing[] = [];
    const events: string[] = [];
    const store = createPairingStore(env(unreachable), {
      starting: () => events.push("starting"),
      paired: async (p) => void saved.push(p),
      ended: () => events.push("ended"),
    });
    expect(await store.getState().start("hello")).toBeNull();
    expect(store.getState().view).toMatchObject({ step: "failed", reason: "invalid_link" });
    expect(saved).toEqual([]);
    // Refused before any connection: the session's is left alone.
    expect(events).toEqual([]);
    store.getState().reset();
    expect(store.getState().view).toEqual({ step: "idle" });
  });

  it("reports a connection failure as a network problem, in words", async () => {
    const events: string[] = [];
    const store = createPairingStore(env(unreachable), {
      starting: () => events.push("starting"),
      paired: async () => {},
      ended: () => events.push("ended"),
    });
    const uri = `nlink://pair?v=1&r=ws%3A%2F%2F127.0.0.1%3A9%2Fv1%2Fgateway&d=${"A".repeat(43)}&b=${"A".repeat(43)}&t=${"A".repeat(22)}&e=${Math.floor(Date.now() / 1000) + 60}&n=Desk`;
    await store.getState().start(uri);
    expect(store.getState().view).toMatchObject({ step: "failed", reason: "network", message: "socket refused" });
    // The session let go of its connection for the attempt, and gets it back after.
    expect(events).toEqual(["starting", "ended"]);
  });
});
