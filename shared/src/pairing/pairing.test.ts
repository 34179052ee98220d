import { describe, expect, it } from "vitest";
import { b64uEncode } from "../encoding/b64u";
import { makeCard } from "../crypto/card";
import { deviceIdOf, generateIdentity } from "../crypto/identity";
import { PairingError } from "./errors";
import { openPairRequest, sealPairRequest } from "./request";
import { computeSas } from "./sas";
import { newPairToken, rendezvousOf } from "./token";
import { encodePairUri, type PairInvite, parsePairUri } from "./uri";
import { checkPairAccept, checkPairRequest, type PairWindow } from "./verify";

const desktop = generateIdentity();
const phone = generateIdentity();
const phoneId = deviceIdOf(phone.signPublicKey);
const token = newPairToken();
const now = 1_800_000_000_000;
const window = (over: Partial<PairWindow> = {}): PairWindow => ({
  token,
  expires: now / 1000 + 300,
  used: false,
  desktopSignPublicKey: desktop.signPublicKey,
  ...over,
});
const invite: PairInvite = {
  relay: "ws://192.168.1.20:8787/v1/gateway",
  desktop: deviceIdOf(desktop.signPublicKey),
  box: desktop.boxPublicKey,
  token,
  expires: now / 1000 + 300,
  name: "Ada's desk é 💻",
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof PairingError) return e.code;
    throw e;
  }
  return undefined;
}

describe("pair URI", () => {
  it("round-trips, names with any characters included", () => {
    const parsed = parsePairUri(encodePairUri(invite));
    expect(parsed).toEqual(invite);
  });

  it.each([
    ["another scheme", (u: string) => u.replace("nlink://", "https://")],
    ["a missing field", (u: string) => u.replace(/&e=\d+/, "")],
    ["a duplicated field", (u: string) => u + "&t=" + b64uEncode(token)],
    ["another version", (u: string) => u.replace("v=1", "v=2")],
    ["an http relay", (u: string) => u.replace(/r=[^&]+/, "r=" + encodeURIComponent("http://x/v1/gateway"))],
    ["a short token", (u: string) => u.replace(/t=[^&]+/, "t=AAAA")],
    ["a bad device id", (u: string) => u.replace(/d=[^&]+/, "d=nope")],
    ["a non-numeric expiry", (u: string) => u.replace(/e=\d+/, "e=soon")],
    ["broken percent-encoding", (u: string) => u.replace(/n=[^&]+/, "n=%E0%A4%A")],
    ["a too long name", (u: string) => u.replace(/n=[^&]+/, "n=" + "x".repeat(65))],
  ])("refuses %s", (_name, mutate) => {
    expect(code(() => parsePairUri(mutate(encodePairUri(invite))))).toBe("bad_uri");
  });
});

describe("pair request", () => {
  const card = makeCard(phone, "phone", "Pixel");
  const body = sealPairRequest(phone, desktop.boxPublicKey, token, card);

  it("opens, passes every check, and both sides compute the same SAS", () => {
    const candidate = checkPairRequest(openPairRequest(body, desktop.boxSecretKey), phoneId, window(), now);
    expect(candidate.phone.card.name).toBe("Pixel");
    expect(candidate.sas).toMatch(/^\d{6}$/);
    expect(candidate.sas).toBe(computeSas(desktop.signPublicKey, phone.signPublicKey, token));
  });

  it("does not open for another desktop", () => {
    expect(code(() => openPairRequest(body, generateIdentity().boxSecretKey))).toBe("bad_body");
    expect(code(() => openPairRequest("!!", desktop.boxSecretKey))).toBe("bad_body");
  });

  it("refuses a wrong, expired or used token", () => {
    const opened = openPairRequest(body, desktop.boxSecretKey);
    expect(code(() => checkPairRequest(opened, phoneId, window({ token: newPairToken() }), now))).toBe("bad_token");
    expect(code(() => checkPairRequest(opened, phoneId, window({ expires: now / 1000 }), now))).toBe("expired");
    expect(code(() => checkPairRequest(opened, phoneId, window({ used: true }), now))).toBe("token_used");
  });

  it("refuses a card from another device than the sender", () => {
    const opened = openPairRequest(body, desktop.boxSecretKey);
    expect(code(() => checkPairRequest(opened, deviceIdOf(generateIdentity().signPublicKey), window(), now))).toBe(
      "bad_card",
    );
  });

  it("refuses a tampered card and a card whose box key differs from the body's", () => {
    const tampered = sealPairRequest(phone, desktop.boxPublicKey, token, { ...card, name: "Evil" });
    expect(code(() => checkPairRequest(openPairRequest(tampered, desktop.boxSecretKey), phoneId, window(), now))).toBe(
      "bad_card",
    );
    const other = generateIdentity();
    const swapped = sealPairRequest(
      { ...phone, boxPublicKey: other.boxPublicKey, boxSecretKey: other.boxSecretKey },
      desktop.boxPublicKey,
      token,
      card,
    );
    expect(code(() => checkPairRequest(openPairRequest(swapped, desktop.boxSecretKey), phoneId, window(), now))).toBe(
      "card_mismatch",
    );
  });

  it("rendezvous is derived from the token and reveals nothing of it", () => {
    expect(rendezvousOf(token)).toHaveLength(22);
    expect(rendezvousOf(token)).toBe(rendezvousOf(token));
    expect(rendezvousOf(token)).not.toBe(rendezvousOf(newPairToken()));
  });
});

describe("pair accept", () => {
  it("accepts the desktop's card when it matches the QR code", () => {
    expect(checkPairAccept(makeCard(desktop, "desktop", "Desk"), invite).card.kind).toBe("desktop");
  });

  it("refuses a card of another desktop, or with another box key", () => {
    expect(code(() => checkPairAccept(makeCard(generateIdentity(), "desktop", "Desk"), invite))).toBe("bad_card");
    expect(
      code(() =>
        checkPairAccept(makeCard(desktop, "desktop", "Desk"), { ...invite, box: generateIdentity().boxPublicKey }),
      ),
    ).toBe("card_mismatch");
  });
});
