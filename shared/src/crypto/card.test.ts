import { describe, expect, it } from "vitest";
import { b64uEncode } from "../encoding/b64u";
import { authSigningInput } from "../protocol/auth";
import { signAuth, verifyAuth } from "./auth";
import { makeCard, verifyCard } from "./card";
import { CardError } from "./errors";
import { deviceIdOf, generateIdentity, identityFromStored, identityToStored } from "./identity";

const me = generateIdentity();
const id = deviceIdOf(me.signPublicKey);

describe("identity cards", () => {
  it("verify when untouched, and name the device", () => {
    const card = makeCard(me, "phone", "  My phone  ");
    expect(card.name).toBe("My phone");
    expect(verifyCard(card, id).boxPublicKey).toEqual(me.boxPublicKey);
  });

  it("trim names to 64 characters, counting code points", () => {
    expect([...makeCard(me, "desktop", "😀".repeat(80)).name]).toHaveLength(64);
  });

  it.each([
    ["a changed name", (c: ReturnType<typeof makeCard>) => ({ ...c, name: "Other" })],
    ["a changed kind", (c: ReturnType<typeof makeCard>) => ({ ...c, kind: "desktop" })],
    [
      "a swapped box key",
      (c: ReturnType<typeof makeCard>) => ({ ...c, box: b64uEncode(generateIdentity().boxPublicKey) }),
    ],
    [
      "another device's signature",
      (c: ReturnType<typeof makeCard>) => ({ ...c, sig: makeCard(generateIdentity(), "phone", "My phone").sig }),
    ],
    ["a missing field", (c: ReturnType<typeof makeCard>) => ({ ...c, sig: undefined })],
    ["version 2", (c: ReturnType<typeof makeCard>) => ({ ...c, v: 2 })],
  ])("refuse %s", (_n, mutate) => {
    expect(() => verifyCard(mutate(makeCard(me, "phone", "My phone")))).toThrow(CardError);
  });

  it("refuse a card that arrived from another device", () => {
    expect(() => verifyCard(makeCard(me, "phone", "x"), deviceIdOf(generateIdentity().signPublicKey))).toThrow(
      /another device/,
    );
  });
});

describe("AUTH signature", () => {
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  it("verifies for its challenge and relay only", () => {
    const sig = signAuth(challenge, "relay-a", me.signSecretKey);
    expect(verifyAuth(id, challenge, "relay-a", sig)).toBe(true);
    expect(verifyAuth(id, challenge, "relay-b", sig)).toBe(false);
    expect(verifyAuth(id, crypto.getRandomValues(new Uint8Array(32)), "relay-a", sig)).toBe(false);
    expect(verifyAuth(deviceIdOf(generateIdentity().signPublicKey), challenge, "relay-a", sig)).toBe(false);
    expect(verifyAuth("garbage", challenge, "relay-a", sig)).toBe(false);
  });

  it("covers the labelled input", () => {
    const input = authSigningInput(new Uint8Array([1, 2]), "r");
    expect(Array.from(input)).toEqual([...new TextEncoder().encode("nlink-auth-v1"), 0, 1, 2, 114]);
  });
});

describe("stored identity", () => {
  it("round-trips and refuses mismatched halves", () => {
    const stored = identityToStored(me);
    expect(identityFromStored(stored)).toEqual(me);
    expect(() =>
      identityFromStored({ ...stored, boxPublicKey: identityToStored(generateIdentity()).boxPublicKey }),
    ).toThrow();
  });
});
