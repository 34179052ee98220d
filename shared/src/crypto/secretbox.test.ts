import nacl from "tweetnacl";
import { describe, expect, it } from "vitest";
import {
  javascriptOpen,
  javascriptSeal,
  nobleOpen,
  nobleSeal,
  openSecretbox,
  sealSecretbox,
  SECRETBOX_TAG_BYTES,
  secretboxBackend,
  SMALL_BOX_BYTES,
} from "./secretbox";

/**
 * Differential test: what the envelope uses (sealSecretbox / openSecretbox: libsodium here in Node), the
 * JavaScript path a browser uses (javascriptSeal / javascriptOpen: tweetnacl or noble by size) and the
 * @noble/ciphers path (nobleSeal / nobleOpen, at every length) against tweetnacl's
 * box.after / box.open.after, which the protocol names (docs/protocol.md section 8), on random
 * keys, nonces and lengths from 0 to 1 MiB, both directions. shared/test/vectors.test.ts checks
 * the fixed vectors through the envelope built on it.
 */
const MiB = 1024 * 1024;
/** Block and word edges of Salsa20 (64-byte blocks) and Poly1305 (16-byte blocks), then random sizes. */
const EDGES = [
  0,
  1,
  15,
  16,
  17,
  31,
  32,
  33,
  63,
  64,
  65,
  127,
  128,
  129,
  SMALL_BOX_BYTES - 1,
  SMALL_BOX_BYTES,
  65_537,
  MiB,
];
const randomLength = () => Math.floor(Math.random() * (MiB + 1));
const lengths = [...EDGES, ...Array.from({ length: 24 }, randomLength)];
const same = (a: Uint8Array | null, b: Uint8Array | null) =>
  a !== null && b !== null && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b));

describe("secretbox (XSalsa20-Poly1305) against tweetnacl", () => {
  it("seals to the same bytes as nacl.box.after, for any header room, and each opens the other's", () => {
    for (const n of lengths) {
      const key = nacl.randomBytes(32);
      const nonce = nacl.randomBytes(24);
      const plaintext = nacl.randomBytes(n);
      const theirs = nacl.box.after(plaintext, nonce, key);
      const header = 16 + (n % 13);
      for (const [name, seal, open] of [
        ["noble", nobleSeal, nobleOpen],
        ["javascript", javascriptSeal, javascriptOpen],
        ["envelope's", sealSecretbox, openSecretbox],
      ] as const) {
        const ours = seal(key, nonce, plaintext, header).subarray(header);
        expect(ours.length, `${name}, length ${n}`).toBe(n + SECRETBOX_TAG_BYTES);
        expect(same(ours, theirs), `${name} seal, length ${n}`).toBe(true);
        expect(same(open(key, nonce, theirs), plaintext), `${name} opens theirs, length ${n}`).toBe(true);
        expect(same(nacl.box.open.after(ours, nonce, key), plaintext), `they open ${name}'s, length ${n}`).toBe(true);
      }
    }
  });

  it("refuses what tweetnacl refuses: any flipped bit, another key or nonce, a cut box", () => {
    for (const n of [0, 1, 64, 1000, SMALL_BOX_BYTES, 70_000]) {
      const key = nacl.randomBytes(32);
      const nonce = nacl.randomBytes(24);
      const boxed = nacl.box.after(nacl.randomBytes(n), nonce, key);
      for (let trial = 0; trial < 8; trial++) {
        const tampered = boxed.slice();
        const at = Math.floor(Math.random() * tampered.length);
        tampered[at]! ^= 1 << Math.floor(Math.random() * 8);
        expect(nacl.box.open.after(tampered, nonce, key)).toBeNull();
        for (const open of [nobleOpen, javascriptOpen, openSecretbox])
          expect(open(key, nonce, tampered), `bit flipped at ${at} of ${n + 16}`).toBeNull();
      }
      for (const open of [nobleOpen, javascriptOpen, openSecretbox]) {
        expect(open(nacl.randomBytes(32), nonce, boxed)).toBeNull();
        expect(open(key, nacl.randomBytes(24), boxed)).toBeNull();
        expect(open(key, nonce, boxed.subarray(0, SECRETBOX_TAG_BYTES - 1))).toBeNull();
        expect(open(key, nonce, boxed.subarray(1))).toBeNull();
      }
    }
  });

  it("seals with libsodium in Node, where the hub runs (the JavaScript path is for browsers)", () => {
    expect(secretboxBackend).toBe("libsodium");
  });

  it("refuses a header too small for the cipher's scratch area", () => {
    expect(() => sealSecretbox(new Uint8Array(32), new Uint8Array(24), new Uint8Array(1), 15)).toThrow(RangeError);
  });
});
