/**
 * Sealing and opening speed of the envelope's cipher (docs/protocol.md section 8: XSalsa20-Poly1305
 * with the pair's precomputed key), tweetnacl's `box.after` / `box.open.after` (the baseline) against
 * @noble/ciphers (shared/src/crypto/secretbox.ts nobleSeal / nobleOpen) and libsodium through sodium-native
 * (native-secretbox.ts), which make the same bytes, and what the envelope uses in this process
 * (sealSecretbox / openSecretbox: libsodium in Node; a browser's, tweetnacl below SMALL_BOX_BYTES and noble above):
 *
 *   npm run bench:secretbox -- --runs 5
 *
 * Each figure is the median of `--runs` runs of about `BENCH_SECRETBOX_MB` MB per size, MB/s of plaintext.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import nacl from "tweetnacl";
import { nativeSecretbox, nobleOpen, nobleSeal, secretboxBackend } from "../shared/src/crypto/secretbox";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Math.max(1, Number(values.runs));
/** Plaintext sealed per size and run, MB. */
const MB_PER_RUN = Number(process.env.BENCH_SECRETBOX_MB ?? 32);
/** Sizes of a keystroke frame, a typical terminal frame, and the hub's largest terminal frame. */
const SIZES = [256, 16 * 1024, 256 * 1024];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** MB/s of `fn` applied to `size`-byte messages, about MB_PER_RUN MB in all. */
function rate(size: number, fn: () => void): number {
  const n = Math.max(1, Math.floor((MB_PER_RUN * 1024 * 1024) / size));
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return (n * size) / (1024 * 1024) / (Number(process.hrtime.bigint() - start) / 1e9);
}

const key = nacl.randomBytes(32);
const nonce = nacl.randomBytes(24);
if (!nativeSecretbox) throw new Error("sodium-native did not load: `npm ci` installs it");
const sodium = nativeSecretbox;
console.log(
  `secretbox benchmark, node ${process.version}, medians of ${RUNS} runs; load average ${load()}; the envelope uses ${secretboxBackend}`,
);
console.log(
  ["size", "op", "tweetnacl MB/s", "noble MB/s", "libsodium MB/s", "noble / tweetnacl", "libsodium / tweetnacl"]
    .map((h, i) => h.padStart(i < 2 ? 8 : i < 6 ? 18 : 22))
    .join(""),
);
for (const size of SIZES) {
  const plaintext = nacl.randomBytes(size);
  const boxed = nacl.box.after(plaintext, nonce, key);
  const sealNacl = () => void nacl.box.after(plaintext, nonce, key);
  const sealNoble = () => void nobleSeal(key, nonce, plaintext, 25);
  const sealed = new Uint8Array(size + 16);
  const opened = new Uint8Array(size);
  const sealNative = () => sodium.seal(sealed, plaintext, nonce, key);
  const openNacl = () => void nacl.box.open.after(boxed, nonce, key);
  const openNoble = () => void nobleOpen(key, nonce, boxed);
  const openNative = () => void sodium.open(opened, boxed, nonce, key);
  for (const [op, a, b, c] of [
    ["seal", sealNacl, sealNoble, sealNative],
    ["open", openNacl, openNoble, openNative],
  ] as const) {
    // Warm-up: the JavaScript ones are compiled on first use.
    for (const fn of [a, b, c]) rate(size, fn);
    const ra: number[] = [];
    const rb: number[] = [];
    const rc: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      ra.push(rate(size, a));
      rb.push(rate(size, b));
      rc.push(rate(size, c));
    }
    const [ma, mb, mc] = [median(ra), median(rb), median(rc)];
    console.log(
      [
        `${size >= 1024 ? `${size / 1024} KiB` : `${size} B`}`.padStart(8),
        op.padStart(8),
        ma.toFixed(1).padStart(18),
        mb.toFixed(1).padStart(18),
        mc.toFixed(1).padStart(18),
        `${(mb / ma).toFixed(2)}x`.padStart(18),
        `${(mc / ma).toFixed(2)}x`.padStart(22),
      ].join(""),
    );
  }
}
console.log(`load average at the end ${load()}`);
