/**
 * The independent client against fixed vectors: RFC 4648 for base64url, and
 * the project's published vectors (shared/test/vectors.json, read as data,
 * never as code). Equal bytes here mean two implementations written apart
 * agree on every construction of docs/protocol.md sections 1, 4 and 8-10.
 */
import { readFileSync } from "node:fs";
import nacl from "tweetnacl";
import { describe, expect, it } from "vitest";
import { B64uError, b64u, fromUtf8, unb64u, unb64uSized, utf8 } from "./b64u";
import { openEnvelope, pairKey, sealEnvelope, type Inner } from "./envelope";
import { authSigningInput, deviceFromSecrets, makeCard, signAuth, verifyCard } from "./identity";
import { computeSas, encodePairUri, openPairRequest, parsePairUri, rendezvousOf, sealPairRequest } from "./pairing";

interface Vectors {
  inputs: Record<string, string | number> & {
    relay_id: string;
    relay_url: string;
    expires: number;
    desktop_name: string;
    phone_name: string;
  };
  desktop: { device: string; box_public_key: string };
  phone: { device: string; box_public_key: string };
  auth: { signing_input: string; sig: string };
  desktop_card: Record<string, unknown>;
  phone_card: Record<string, unknown>;
  envelope: { shared_key: string; plaintext: string; bytes: string };
  rendezvous: string;
  sas: string;
  pair_uri: string;
  pair_request_body: string;
}

const v = JSON.parse(readFileSync(new URL("../../shared/test/vectors.json", import.meta.url), "utf8")) as Vectors;
const input = (k: string) => unb64u(String(v.inputs[k]));
const desktop = deviceFromSecrets(input("desktop_sign_seed"), input("desktop_box_secret_key"));
const phone = deviceFromSecrets(input("phone_sign_seed"), input("phone_box_secret_key"));

describe("base64url (docs/protocol.md section 1)", () => {
  it("matches RFC 4648 test vectors without padding", () => {
    const cases: [string, string][] = [
      ["", ""],
      ["f", "Zg"],
      ["fo", "Zm8"],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg"],
      ["fooba", "Zm9vYmE"],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, coded] of cases) {
      expect(b64u(utf8(plain))).toBe(coded);
      expect(fromUtf8(unb64u(coded))).toBe(plain);
    }
    expect(b64u(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
  });

  it("refuses padding, foreign characters, impossible lengths and stray bits", () => {
    for (const bad of ["Zg==", "Zm9v+", "Zm9v/", "Z", "Zh", "ab cd"]) expect(() => unb64u(bad)).toThrow(B64uError);
    expect(() => unb64uSized("Zm9v", 4)).toThrow(B64uError);
  });
});

describe("published vectors", () => {
  it("derives the same device ids and box keys", () => {
    expect(desktop.id).toBe(v.desktop.device);
    expect(b64u(desktop.box.publicKey)).toBe(v.desktop.box_public_key);
    expect(phone.id).toBe(v.phone.device);
    expect(desktop.id).toHaveLength(43);
  });

  it("signs AUTH over the same bytes (docs/protocol.md section 4)", () => {
    expect(b64u(authSigningInput(input("challenge"), v.inputs.relay_id))).toBe(v.auth.signing_input);
    expect(signAuth(desktop, String(v.inputs.challenge), v.inputs.relay_id)).toBe(v.auth.sig);
  });

  it("makes and verifies the same cards (docs/protocol.md section 9)", () => {
    expect(makeCard(desktop, "desktop", v.inputs.desktop_name)).toEqual(v.desktop_card);
    expect(makeCard(phone, "phone", v.inputs.phone_name)).toEqual(v.phone_card);
    expect(verifyCard(v.phone_card, phone.id).name).toBe(v.inputs.phone_name);
    expect(() => verifyCard(v.phone_card, desktop.id)).toThrow();
    expect(() => verifyCard({ ...v.phone_card, name: "Other" })).toThrow();
  });

  it("seals the same envelope bytes and opens them (docs/protocol.md section 8)", () => {
    const key = pairKey(phone.box.publicKey, desktop.box.secretKey);
    expect(b64u(key)).toBe(v.envelope.shared_key);
    const inner = JSON.parse(v.envelope.plaintext) as Inner;
    expect(b64u(sealEnvelope(key, inner, input("envelope_nonce")))).toBe(v.envelope.bytes);
    const phoneKey = pairKey(desktop.box.publicKey, phone.box.secretKey);
    const frame = { id: inner.id, from: desktop.id };
    const opened = openEnvelope(phoneKey, unb64u(v.envelope.bytes), frame, phone.id, inner.ts, new Set());
    expect(opened).toEqual({ ok: true, inner });
  });

  it("applies every drop rule of docs/protocol.md section 8", () => {
    const key = pairKey(phone.box.publicKey, desktop.box.secretKey);
    const phoneKey = pairKey(desktop.box.publicKey, phone.box.secretKey);
    const inner = JSON.parse(v.envelope.plaintext) as Inner;
    const bytes = unb64u(v.envelope.bytes);
    const frame = { id: inner.id, from: desktop.id };
    const now = inner.ts;
    const open = (b: Uint8Array, f = frame, me = phone.id, at = now, seen = new Set<string>()) =>
      openEnvelope(phoneKey, b, f, me, at, seen);
    const tampered = bytes.slice();
    tampered[40] = tampered[40]! ^ 1;
    expect(open(tampered)).toEqual({ ok: false, reason: "undecryptable" });
    expect(open(bytes, { ...frame, from: phone.id })).toEqual({ ok: false, reason: "wrong_from" });
    expect(open(bytes, frame, desktop.id)).toEqual({ ok: false, reason: "wrong_to" });
    expect(open(bytes, { ...frame, id: "AAAAAAAAAAAAAAAAAAAAAA" })).toEqual({ ok: false, reason: "wrong_id" });
    expect(open(bytes, frame, phone.id, now + 8 * 24 * 3600 * 1000 + 1)).toEqual({ ok: false, reason: "too_old" });
    expect(open(bytes, frame, phone.id, now - 10 * 60 * 1000 - 1)).toEqual({ ok: false, reason: "too_new" });
    const seen = new Set<string>();
    expect(open(bytes, frame, phone.id, now, seen).ok).toBe(true);
    expect(open(bytes, frame, phone.id, now, seen)).toEqual({ ok: false, reason: "replayed" });
    expect(openEnvelope(key, sealEnvelope(key, { ...inner, ts: now + 1 }), frame, phone.id, now, new Set()).ok).toBe(
      true,
    );
  });

  it("computes the same rendezvous, SAS and pair URI (docs/protocol.md section 10)", () => {
    const token = input("token");
    expect(rendezvousOf(token)).toBe(v.rendezvous);
    expect(computeSas(desktop.sign.publicKey, phone.sign.publicKey, token)).toBe(v.sas);
    const invite = {
      relayUrl: v.inputs.relay_url,
      desktop: desktop.id,
      desktopBox: desktop.box.publicKey,
      token,
      expiresS: v.inputs.expires,
      name: v.inputs.desktop_name,
    };
    expect(encodePairUri(invite)).toBe(v.pair_uri);
    expect(parsePairUri(v.pair_uri)).toEqual(invite);
    expect(() => parsePairUri(v.pair_uri.replace("v=1", "v=2"))).toThrow();
    expect(() => parsePairUri(`${v.pair_uri}&d=${desktop.id}`)).toThrow();
    expect(parsePairUri(`${v.pair_uri}&x=ignored`).name).toBe(v.inputs.desktop_name);
  });

  it("opens the published pair request body, and its own sealing agrees (docs/protocol.md section 10)", () => {
    const opened = openPairRequest(v.pair_request_body, phone.id, desktop.box.secretKey);
    expect(opened.card).toEqual(v.phone_card);
    expect(b64u(opened.token)).toBe(v.inputs.token);
    const mine = sealPairRequest(
      input("token"),
      makeCard(phone, "phone", v.inputs.phone_name),
      phone.box,
      desktop.box.publicKey,
      input("pair_request_nonce"),
    );
    expect(mine).toBe(v.pair_request_body);
    expect(() => openPairRequest(v.pair_request_body, desktop.id, desktop.box.secretKey)).toThrow();
    expect(nacl.box.keyPair.fromSecretKey(desktop.box.secretKey).publicKey).toEqual(desktop.box.publicKey);
  });
});
