import { describe, expect, it } from "vitest";
import { generateIdentity, identityToStored } from "@neural-link/shared/crypto";
import { b64uEncode } from "@neural-link/shared/encoding";
import { StorageError } from "./errors";
import { IDENTITY_KEY, loadOrCreateIdentity } from "./identity-store";
import { memoryKeyValue } from "./kv";
import {
  getSelected,
  listPairings,
  type Pairing,
  PAIRINGS_KEY,
  removePairing,
  savePairing,
  setSelected,
  trustRelayId,
} from "./pairings-store";

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

describe("identity store", () => {
  it("makes the identity once and returns the same keys afterwards", async () => {
    const kv = memoryKeyValue();
    const first = await loadOrCreateIdentity(kv);
    const again = await loadOrCreateIdentity(kv, () => {
      throw new Error("must not make a second identity");
    });
    expect(again.signPublicKey).toEqual(first.signPublicKey);
    expect(again.boxSecretKey).toEqual(first.boxSecretKey);
  });

  it("refuses a damaged identity instead of silently replacing it", async () => {
    const kv = memoryKeyValue();
    const stored = identityToStored(generateIdentity());
    await kv.set(IDENTITY_KEY, { ...stored, boxPublicKey: identityToStored(generateIdentity()).boxPublicKey });
    await expect(loadOrCreateIdentity(kv)).rejects.toBeInstanceOf(StorageError);
  });
});

describe("pairings store", () => {
  it("adds, replaces by device, removes, and forgets the selection of a removed desktop", async () => {
    const kv = memoryKeyValue();
    const a = pairing("A");
    const b = pairing("B");
    await savePairing(kv, a);
    await savePairing(kv, b);
    await savePairing(kv, { ...a, name: "A renamed" });
    expect((await listPairings(kv)).map((p) => p.name)).toEqual(["B", "A renamed"]);
    await setSelected(kv, a.device);
    await removePairing(kv, a.device);
    expect((await listPairings(kv)).map((p) => p.name)).toEqual(["B"]);
    expect(await getSelected(kv)).toBeUndefined();
  });

  it("stores the first relay id of a pairing, keeps it through updates, and forgets it when paired again", async () => {
    const kv = memoryKeyValue();
    const a = pairing("A");
    await savePairing(kv, a);
    await trustRelayId(kv, a.device, "relay-one");
    // Only the first one counts (trust on first use).
    await trustRelayId(kv, a.device, "relay-two");
    expect((await listPairings(kv))[0]?.relayId).toBe("relay-one");
    // The same pairing updated from an older copy (e.g. marked revoked) keeps it.
    await savePairing(kv, { ...a, revoked: true });
    expect((await listPairings(kv))[0]).toMatchObject({ revoked: true, relayId: "relay-one" });
    // Paired again: a fresh start.
    await savePairing(kv, { ...a, pairedAt: 2 });
    expect((await listPairings(kv))[0]?.relayId).toBeUndefined();
  });

  it("refuses to save a malformed pairing, and reports an unreadable list", async () => {
    const kv = memoryKeyValue();
    await expect(savePairing(kv, { ...pairing("A"), device: "short" })).rejects.toThrow();
    await kv.set(PAIRINGS_KEY, [{ device: 1 }]);
    await expect(listPairings(kv)).rejects.toBeInstanceOf(StorageError);
  });
});
