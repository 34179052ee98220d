import { b64uDecode, b64uEncode, isB64u } from "../encoding/b64u";
import { CARD_NAME_MAX } from "../crypto/card";
import { PairingError } from "./errors";

/** What a pairing QR code carries (docs/protocol.md section 10, the `nlink://pair` URI). */
export interface PairInvite {
  /** The relay's WebSocket URL. */
  relay: string;
  /** The desktop's device id. */
  desktop: string;
  /** The desktop's box public key, 32 bytes. */
  box: Uint8Array;
  /** The one-time token, 16 bytes. */
  token: Uint8Array;
  /** Expiry, unix seconds. */
  expires: number;
  /** The desktop's name, at most 64 characters. */
  name: string;
}

const PREFIX = "nlink://pair?";
const KEYS = ["v", "r", "d", "b", "t", "e", "n"] as const;

/**
 * @example encodePairUri(invite) // "nlink://pair?v=1&r=wss%3A%2F%2Frelay.example%2Fv1%2Fgateway&d=…"
 */
export function encodePairUri(invite: PairInvite): string {
  const values: Record<(typeof KEYS)[number], string> = {
    v: "1",
    r: invite.relay,
    d: invite.desktop,
    b: b64uEncode(invite.box),
    t: b64uEncode(invite.token),
    e: String(invite.expires),
    n: invite.name,
  };
  return PREFIX + KEYS.map((k) => `${k}=${encodeURIComponent(values[k])}`).join("&");
}

function fail(message: string): never {
  throw new PairingError("bad_uri", message);
}

/**
 * Strict parser: every field present exactly once and well-formed, the relay
 * a ws: or wss: URL. Unknown fields are ignored, for forward compatibility.
 * Expiry is not judged here; compare `expires` with the clock.
 */
export function parsePairUri(text: string): PairInvite {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX)) fail("not an nlink://pair link");
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(PREFIX.length).split("&")) {
    const eq = part.indexOf("=");
    if (eq <= 0) fail("a field has no name or value");
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      fail(`field ${key} is not percent-encoded correctly`);
    }
    if (fields.has(key)) fail(`field ${key} appears twice`);
    fields.set(key, value);
  }
  for (const k of KEYS) if (!fields.has(k)) fail(`field ${k} is missing`);
  const get = (k: (typeof KEYS)[number]) => fields.get(k)!;
  if (get("v") !== "1") fail("unsupported pairing version");
  let relay: URL;
  try {
    relay = new URL(get("r"));
  } catch {
    fail("relay is not a URL");
  }
  if (relay.protocol !== "ws:" && relay.protocol !== "wss:") fail("relay is not a ws: or wss: URL");
  if (!isB64u(get("d"), 32)) fail("desktop id is malformed");
  if (!isB64u(get("b"), 32)) fail("box key is malformed");
  if (!isB64u(get("t"), 16)) fail("token is malformed");
  if (!/^[0-9]{1,12}$/.test(get("e"))) fail("expiry is not a unix time");
  const name = get("n");
  if (name.length === 0 || [...name].length > CARD_NAME_MAX) fail("name is empty or too long");
  return {
    relay: get("r"),
    desktop: get("d"),
    box: b64uDecode(get("b")),
    token: b64uDecode(get("t")),
    expires: Number(get("e")),
    name,
  };
}
