import { describe, expect, it } from "vitest";
import { b64uEncode } from "../encoding/b64u";
import { acceptEnvelope, MemorySeenIds } from "./seen-ids";
import { type EnvelopeInner, openEnvelope, sealEnvelope, sealEnvelopeWithNonce, sharedKey } from "./envelope";
import { EnvelopeError, type EnvelopeRejection } from "./errors";
import { deviceIdOf, generateIdentity } from "./identity";
import { randomBytes } from "./bytes";
import { concatBytes, utf8Encode } from "../encoding/bytes";
import nacl from "tweetnacl";

const alice = generateIdentity();
const bob = generateIdentity();
const mallory = generateIdentity();
const A = deviceIdOf(alice.signPublicKey);
const B = deviceIdOf(bob.signPublicKey);
const M = deviceIdOf(mallory.signPublicKey);
const keyAB = sharedKey(bob.boxPublicKey, alice.boxSecretKey);
const keyBA = sharedKey(alice.boxPublicKey, bob.boxSecretKey);
const now = 1_800_000_000_000;
const id = () => b64uEncode(randomBytes(16));
const inner = (over: Partial<EnvelopeInner> = {}): EnvelopeInner => ({
  v: 1,
  id: id(),
  from: A,
  to: B,
  ts: now,
  t: "rpc",
  d: { x: 1 },
  ...over,
});

function rejection(fn: () => unknown): EnvelopeRejection | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnvelopeError) return e.reason;
    throw e;
  }
  return undefined;
}

describe("envelope", () => {
  it("both ends derive the same key, and a sealed message opens", () => {
    expect(keyAB).toEqual(keyBA);
    const msg = inner();
    expect(openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: A }, B, now)).toEqual(msg);
  });

  it("uses a fresh nonce each time", () => {
    const msg = inner();
    expect(b64uEncode(sealEnvelope(keyAB, msg))).not.toBe(b64uEncode(sealEnvelope(keyAB, msg)));
  });

  it("drops tampered ciphertext", () => {
    const msg = inner();
    const bytes = sealEnvelope(keyAB, msg);
    bytes[bytes.length - 1]! ^= 1;
    expect(rejection(() => openEnvelope(keyBA, bytes, { id: msg.id, from: A }, B, now))).toBe("decrypt_failed");
  });

  it("drops a wrong version byte and a truncated envelope", () => {
    const msg = inner();
    const bytes = sealEnvelope(keyAB, msg);
    bytes[0] = 2;
    expect(rejection(() => openEnvelope(keyBA, bytes, { id: msg.id, from: A }, B, now))).toBe("bad_version");
    expect(rejection(() => openEnvelope(keyBA, bytes.subarray(0, 20), { id: msg.id, from: A }, B, now))).toBe(
      "malformed",
    );
  });

  it("drops a frame whose relay-given sender differs from the inner from (swapped from)", () => {
    const msg = inner();
    expect(rejection(() => openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: M }, B, now))).toBe(
      "from_mismatch",
    );
  });

  it("drops a frame addressed to someone else (swapped to)", () => {
    const msg = inner({ to: M });
    expect(rejection(() => openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: A }, B, now))).toBe(
      "to_mismatch",
    );
  });

  it("drops a reflected frame: my own message sent back to me", () => {
    // Alice's frame to Bob, bounced back to Alice as if Bob sent it: same pair key opens it,
    // but the inner from/to give it away.
    const msg = inner();
    expect(rejection(() => openEnvelope(keyAB, sealEnvelope(keyAB, msg), { id: msg.id, from: B }, A, now))).toBe(
      "from_mismatch",
    );
  });

  it("drops a frame whose inner id differs from the frame id", () => {
    const msg = inner();
    expect(rejection(() => openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: id(), from: A }, B, now))).toBe(
      "id_mismatch",
    );
  });

  it("drops frames more than 8 days old or 10 minutes ahead, keeps the edges", () => {
    const day = 24 * 3600 * 1000;
    const check = (ts: number) => {
      const msg = inner({ ts });
      return rejection(() => openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: A }, B, now));
    };
    expect(check(now - 8 * day - 1)).toBe("too_old");
    expect(check(now - 8 * day)).toBeUndefined();
    expect(check(now + 10 * 60 * 1000)).toBeUndefined();
    expect(check(now + 10 * 60 * 1000 + 1)).toBe("from_future");
  });

  it("drops a replayed id", async () => {
    const seen = new MemorySeenIds();
    const msg = inner();
    const opened = openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: A }, B, now);
    await expect(acceptEnvelope(opened, seen, now)).resolves.toEqual(msg);
    await expect(acceptEnvelope(opened, seen, now)).rejects.toMatchObject({ reason: "replayed" });
  });

  it("drops an envelope sealed for another pair", () => {
    const keyMB = sharedKey(bob.boxPublicKey, mallory.boxSecretKey);
    const msg = inner();
    expect(rejection(() => openEnvelope(keyBA, sealEnvelope(keyMB, msg), { id: msg.id, from: A }, B, now))).toBe(
      "decrypt_failed",
    );
  });

  it("carries bytes as a byte tail, any bytes, and opens them as d.data", () => {
    for (const data of [new Uint8Array(0), randomBytes(1), randomBytes(70_000), Uint8Array.of(0xff, 0xc3, 0x00)]) {
      const msg = inner({ t: "term.output", d: { term: "T", seq: 3, data } });
      const opened = openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: A }, B, now);
      expect(opened.d).toEqual({ term: "T", seq: 3, data });
      // The same checks as for JSON: another recipient, another sender.
      expect(rejection(() => openEnvelope(keyBA, sealEnvelope(keyAB, msg), { id: msg.id, from: M }, B, now))).toBe(
        "from_mismatch",
      );
    }
    // A message without bytes stays JSON: its plaintext starts with "{".
    const json = inner({ d: { data: "text" } });
    const sealed = sealEnvelope(keyAB, json);
    expect(openEnvelope(keyBA, sealed, { id: json.id, from: A }, B, now).d).toEqual({ data: "text" });
  });

  it("drops a byte tail whose header is cut short, is not JSON, or whose d is not an object without data", () => {
    const msg = inner();
    const seal = (plaintext: Uint8Array) => {
      const nonce = randomBytes(24);
      return concatBytes(Uint8Array.of(1), nonce, nacl.box.after(plaintext, nonce, keyAB));
    };
    const tail = (header: string, n = utf8Encode(header).length) =>
      concatBytes(Uint8Array.of(0, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff), utf8Encode(header));
    const header = (d: unknown) => JSON.stringify({ ...msg, d });
    const good = header({ term: "T" });
    expect(openEnvelope(keyBA, seal(tail(good)), { id: msg.id, from: A }, B, now).d).toEqual({
      term: "T",
      data: new Uint8Array(0),
    });
    for (const bad of [
      Uint8Array.of(0, 0, 0),
      tail(good, utf8Encode(good).length + 1),
      tail(good, 0xffffffff),
      tail("not json"),
      tail(header({ term: "T", data: "twice" })),
      tail(header([1, 2])),
      tail(header("text")),
      tail(header(null)),
    ])
      expect(rejection(() => openEnvelope(keyBA, seal(bad), { id: msg.id, from: A }, B, now))).toBe("malformed");
  });

  it("refuses nonce injection outside tests", () => {
    const saved = process.env.VITEST;
    const savedEnv = process.env.NODE_ENV;
    process.env.VITEST = "";
    process.env.NODE_ENV = "production";
    try {
      expect(() => sealEnvelopeWithNonce(keyAB, inner(), new Uint8Array(24))).toThrow(/only under tests/);
    } finally {
      process.env.VITEST = saved;
      process.env.NODE_ENV = savedEnv;
    }
  });
});
