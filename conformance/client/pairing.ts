/**
 * Pairing by QR code (docs/protocol.md section 10): rendezvous, the pair URI, the
 * sealed pair request and the short authentication string.
 */
import { randomBytes } from "node:crypto";
import nacl from "tweetnacl";
import { b64u, concat, fromUtf8, label, unb64u, unb64uSized, utf8 } from "./b64u";
import { type Card, verifyCard } from "./identity";

export class PairingError extends Error {
  override readonly name = "PairingError";
}

export function newToken(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

/** `b64u(first 16 bytes of nacl.hash(utf8("nlink-rdv-v1\0") || token))`. */
export function rendezvousOf(token: Uint8Array): string {
  return b64u(nacl.hash(concat(label("nlink-rdv-v1"), token)).subarray(0, 16));
}

export interface PairInvite {
  relayUrl: string;
  desktop: string;
  desktopBox: Uint8Array;
  token: Uint8Array;
  expiresS: number;
  name: string;
}

const URI_PREFIX = "nlink://pair?";
const FIELDS = ["v", "r", "d", "b", "t", "e", "n"] as const;

/** Builds the URI with every value percent-encoded (encodeURIComponent). */
export function encodePairUri(i: PairInvite): string {
  const values: Record<(typeof FIELDS)[number], string> = {
    v: "1",
    r: i.relayUrl,
    d: i.desktop,
    b: b64u(i.desktopBox),
    t: b64u(i.token),
    e: String(i.expiresS),
    n: i.name,
  };
  return URI_PREFIX + FIELDS.map((k) => `${k}=${encodeURIComponent(values[k])}`).join("&");
}

/** Parses a pair URI; every field exactly once, unknown fields ignored. Throws PairingError. */
export function parsePairUri(text: string): PairInvite {
  if (!text.startsWith(URI_PREFIX)) throw new PairingError("not an nlink://pair URI");
  const found = new Map<string, string>();
  for (const part of text.slice(URI_PREFIX.length).split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new PairingError("field without value");
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      throw new PairingError(`field ${key} is not percent-encoded`);
    }
    if (found.has(key)) throw new PairingError(`field ${key} repeated`);
    found.set(key, value);
  }
  const get = (k: (typeof FIELDS)[number]) => {
    const v = found.get(k);
    if (v === undefined) throw new PairingError(`field ${k} missing`);
    return v;
  };
  if (get("v") !== "1") throw new PairingError("unsupported pair URI version");
  const relayUrl = get("r");
  if (!/^wss?:\/\//.test(relayUrl)) throw new PairingError("relay URL is not ws: or wss:");
  const e = get("e");
  if (!/^[0-9]+$/.test(e)) throw new PairingError("expiry is not a number");
  try {
    unb64uSized(get("d"), 32);
    return {
      relayUrl,
      desktop: get("d"),
      desktopBox: unb64uSized(get("b"), 32),
      token: unb64uSized(get("t"), 16),
      expiresS: Number(e),
      name: get("n"),
    };
  } catch (err) {
    throw new PairingError(`pair URI field not well-formed: ${(err as Error).message}`);
  }
}

/**
 * Body of PAIR_REQUEST: `b64u(0x01 || phone box pk || nonce || nacl.box(json, nonce, desktop box pk, phone box sk))`.
 */
export function sealPairRequest(
  token: Uint8Array,
  card: Card,
  phoneBox: nacl.BoxKeyPair,
  desktopBoxPk: Uint8Array,
  nonce: Uint8Array = new Uint8Array(randomBytes(24)),
): string {
  const json = JSON.stringify({ v: 1, token: b64u(token), card });
  return b64u(
    concat(
      new Uint8Array([1]),
      phoneBox.publicKey,
      nonce,
      nacl.box(utf8(json), nonce, desktopBoxPk, phoneBox.secretKey),
    ),
  );
}

/**
 * The desktop's side: opens the body and checks the card against `from` and the key in the body. Throws PairingError.
 */
export function openPairRequest(
  body: string,
  from: string,
  desktopBoxSk: Uint8Array,
): { token: Uint8Array; card: Card } {
  const bytes = unb64u(body);
  if (bytes.length < 1 + 32 + 24 + nacl.box.overheadLength || bytes[0] !== 1)
    throw new PairingError("pair request too short or wrong version");
  const phoneBoxPk = bytes.subarray(1, 33);
  const plain = nacl.box.open(bytes.subarray(57), bytes.subarray(33, 57), phoneBoxPk, desktopBoxSk);
  if (plain === null) throw new PairingError("pair request does not open");
  const msg = JSON.parse(fromUtf8(plain)) as { v?: unknown; token?: unknown; card?: unknown };
  if (msg.v !== 1 || typeof msg.token !== "string") throw new PairingError("pair request plaintext malformed");
  const card = verifyCard(msg.card, from);
  if (card.box !== b64u(phoneBoxPk)) throw new PairingError("card box differs from the key in the body");
  return { token: unb64uSized(msg.token, 16), card };
}

/**
 * SAS: first 4 bytes of `nacl.hash(label || desktop sign pk || phone sign pk || token)`, big-endian, mod 10^6, six
 * digits.
 */
export function computeSas(desktopSignPk: Uint8Array, phoneSignPk: Uint8Array, token: Uint8Array): string {
  const h = nacl.hash(concat(label("nlink-sas-v1"), desktopSignPk, phoneSignPk, token));
  const n = new DataView(h.buffer, h.byteOffset, 4).getUint32(0, false);
  return String(n % 1_000_000).padStart(6, "0");
}
