import nacl from "tweetnacl";
import { concatBytes, label } from "../encoding/bytes";

/**
 * The six-digit short authentication string both screens show:
 * first 4 bytes of `nacl.hash(utf8("nlink-sas-v1\0") || desktopSignPk || phoneSignPk || token)`
 * as an unsigned big-endian integer, modulo 1000000, zero-padded.
 */
export function computeSas(
  desktopSignPublicKey: Uint8Array,
  phoneSignPublicKey: Uint8Array,
  token: Uint8Array,
): string {
  const h = nacl.hash(concatBytes(label("nlink-sas-v1"), desktopSignPublicKey, phoneSignPublicKey, token));
  const n = ((h[0]! << 24) >>> 0) + (h[1]! << 16) + (h[2]! << 8) + h[3]!;
  return String(n % 1_000_000).padStart(6, "0");
}
