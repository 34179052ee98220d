import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify, type ECDH } from "node:crypto";

/**
 * The receiving side of Web Push, written from the RFCs for tests (never shipped):
 * RFC 8291 (message encryption, on RFC 8188 aes128gcm) and RFC 8292 (VAPID).
 * The hub's sender is the `web-push` library; this checks its bytes independently.
 */

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();
const b64u = (b: Buffer) => b.toString("base64url");

/** A subscriber's keys (what a browser keeps for one PushSubscription). */
export interface SubscriberKeys {
  ecdh: ECDH;
  /** Uncompressed P-256 public key, 65 bytes. */
  publicKey: Buffer;
  /** The 16-byte authentication secret. */
  auth: Buffer;
}

export function newSubscriberKeys(): SubscriberKeys {
  const ecdh = createECDH("prime256v1");
  const publicKey = ecdh.generateKeys();
  return { ecdh, publicKey, auth: randomBytes(16) };
}

/** The `keys` of a subscription's JSON, as `PushSubscription.toJSON()` gives them. */
export function subscriptionKeys(k: SubscriberKeys): { p256dh: string; auth: string } {
  return { p256dh: b64u(k.publicKey), auth: b64u(k.auth) };
}

/**
 * Decrypts one aes128gcm push body (RFC 8188 section 2, RFC 8291 section 3.4):
 * header = salt (16) | rs (uint32) | idlen (1) | keyid (the sender's ephemeral public key),
 * then records of `rs` bytes, each AES-128-GCM with a 16-byte tag, ending in a padding
 * delimiter (2 for the last record, 1 for others) and zeros.
 */
export function decryptAes128gcm(body: Buffer, k: SubscriberKeys): Buffer {
  if (body.length < 21) throw new Error("body shorter than the aes128gcm header");
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65 || asPublic[0] !== 0x04)
    throw new Error("keyid is not an uncompressed P-256 key (RFC 8291 section 4)");
  if (rs < 18) throw new Error("record size too small");
  // RFC 8291 section 3.3: the input keying material from ECDH and the auth secret.
  const ecdhSecret = k.ecdh.computeSecret(asPublic);
  const prkKey = hmac(k.auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0", "latin1"), k.publicKey, asPublic]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  // RFC 8188 section 2.2 and 2.3: content encryption key and nonce from the salt.
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01", "latin1")).subarray(0, 16);
  const baseNonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01", "latin1")).subarray(0, 12);
  const records = body.subarray(21 + idlen);
  const out: Buffer[] = [];
  for (let seq = 0, at = 0; at < records.length; seq++, at += rs) {
    const record = records.subarray(at, Math.min(at + rs, records.length));
    const nonce = Buffer.from(baseNonce);
    // The nonce is the base XOR the record's sequence number, big-endian (here below 2^32: the last 4 bytes).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = at + rs >= records.length;
    if (end < 0 || plain[end] !== (last ? 2 : 1)) throw new Error("bad padding delimiter");
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/**
 * Checks an RFC 8292 `Authorization: vapid t=<JWT>, k=<key>` header: the key is the
 * expected one, the JWT is ES256 over its header and claims, signed by that key.
 * Returns the claims; throws with the reason otherwise.
 */
export function verifyVapid(authorization: string | undefined, expectedKey: string): VapidClaims {
  const m = /^vapid t=([A-Za-z0-9_.-]+), ?k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!m) throw new Error(`not a vapid Authorization header: ${authorization ?? "(none)"}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  if (k !== expectedKey) throw new Error("the VAPID key is not the one the phone was given");
  const [h, c, s] = jwt.split(".");
  if (!h || !c || !s) throw new Error("malformed JWT");
  const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { typ?: string; alg?: string };
  if (header.alg !== "ES256") throw new Error(`JWT alg ${header.alg}`);
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${h}.${c}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  if (!ok) throw new Error("JWT signature does not verify with the VAPID key");
  return JSON.parse(Buffer.from(c, "base64url").toString()) as VapidClaims;
}
