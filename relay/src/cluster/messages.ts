/**
 * What relay nodes say to each other over the bus (docs/relay.md, "Cluster
 * protocol"). JSON, one object per bus message, `k` naming the kind. Only
 * relay nodes publish on these subjects; a message that does not decode is
 * logged and dropped, never trusted.
 */

/**
 * Orders the sessions of one device across nodes: the later claim wins.
 * `at` is the claiming node's clock; equal times are ordered by node id,
 * then by the node's own counter.
 */
export interface Claim {
  at: number;
  node: string;
  n: number;
}

export type BusEvent =
  /** Node liveness; `at` lets the sender time its own heartbeat's trip (bus lag). */
  | { k: "hb"; node: string; at: number }
  /** The node is leaving (drain): forget its devices now. */
  | { k: "leave"; node: string }
  /** A device connected on `claim.node`. */
  | { k: "claim"; device: string; claim: Claim }
  /** The device's connection on `claim.node` ended (not replaced). */
  | { k: "release"; device: string; claim: Claim }
  /** Every device connected on a node, sent to a node that just appeared. */
  | { k: "snapshot"; node: string; claims: [string, Claim][] }
  /** A committed GRANT (`granted`) or REVOKE, to apply before the REPLY. */
  | { k: "grant"; node: string; granter: string; grantee: string; granted: boolean }
  /** A frame for a device connected on the receiving node; `hop` counts re-forwards. */
  | { k: "frame"; to: string; id: string; from: string; body: string; qos: 0 | 1; ts: number; hop: number }
  /** A client asks to resume `session` on `node`: its holder hands it over (session-transfer.ts). */
  | { k: "take"; node: string; session: string; device: string }
  /** A PAIR_REQUEST for the opener of a rendezvous, connected on the receiving node. */
  | { k: "pair"; to: string; rendezvous: string; from: string; body: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Frames, the hot path, travel as tab-separated ASCII rather than JSON:
 * `F\tto\tid\tfrom\tqos\tts\thop\tbody`. Every field is a device id, a
 * frame id, base64url or an integer, already validated by the sending node,
 * so none can hold a tab; no JSON scan of a 1 KiB body on either side.
 */
const FRAME_TAG = "F\t";

export function encodeEvent(event: BusEvent): Uint8Array {
  if (event.k === "frame") {
    return Buffer.from(
      `${FRAME_TAG}${event.to}\t${event.id}\t${event.from}\t${event.qos}\t${event.ts}\t${event.hop}\t${event.body}`,
      "latin1",
    );
  }
  return encoder.encode(JSON.stringify(event));
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeFrame(text: string): BusEvent | null {
  const parts = text.split("\t");
  if (parts.length !== 8) return null;
  const [, to, id, from, qos, ts, hop, body] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (qos !== "0" && qos !== "1") return null;
  const at = Number(ts);
  const hops = Number(hop);
  if (
    !Number.isSafeInteger(at) ||
    !Number.isSafeInteger(hops) ||
    !BASE64URL.test(to) ||
    !BASE64URL.test(id) ||
    !BASE64URL.test(from) ||
    !BASE64URL.test(body)
  )
    return null;
  return { k: "frame", to, id, from, qos: qos === "1" ? 1 : 0, ts: at, hop: hops, body };
}

const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function isClaim(v: unknown): v is Claim {
  const c = v as Claim;
  return typeof v === "object" && v !== null && isNumber(c.at) && isString(c.node) && isNumber(c.n);
}

/** Decodes a bus message; null if it is not one of ours. */
export function decodeEvent(data: Uint8Array): BusEvent | null {
  if (data[0] === 0x46 && data[1] === 0x09)
    return decodeFrame(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1"));
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(decoder.decode(data)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof e !== "object" || e === null) return null;
  const ok = (() => {
    switch (e.k) {
      case "hb":
        return isString(e.node) && isNumber(e.at);
      case "leave":
        return isString(e.node);
      case "claim":
      case "release":
        return isString(e.device) && isClaim(e.claim);
      case "snapshot":
        return (
          isString(e.node) &&
          Array.isArray(e.claims) &&
          e.claims.every((c) => Array.isArray(c) && isString(c[0]) && isClaim(c[1]))
        );
      case "grant":
        return isString(e.node) && isString(e.granter) && isString(e.grantee) && typeof e.granted === "boolean";
      case "frame":
        return (
          isString(e.to) &&
          isString(e.id) &&
          isString(e.from) &&
          isString(e.body) &&
          (e.qos === 0 || e.qos === 1) &&
          isNumber(e.ts) &&
          isNumber(e.hop)
        );
      case "pair":
        return isString(e.to) && isString(e.rendezvous) && isString(e.from) && isString(e.body);
      case "take":
        return isString(e.node) && isString(e.session) && isString(e.device);
      default:
        return false;
    }
  })();
  return ok ? (e as BusEvent) : null;
}

/** True when claim `a` is later than `b` (it wins). */
export function laterClaim(a: Claim, b: Claim): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.node !== b.node) return a.node > b.node;
  return a.n > b.n;
}

export function sameClaim(a: Claim, b: Claim): boolean {
  return a.at === b.at && a.node === b.node && a.n === b.n;
}
