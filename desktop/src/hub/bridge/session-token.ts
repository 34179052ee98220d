import { randomBytes, timingSafeEqual } from "node:crypto";

/** Bytes of randomness in a bridge session token (256 bits). */
export const SESSION_TOKEN_BYTES = 32;

/** A fresh random session token, base64url without padding. */
export function newSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString("base64url");
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timing. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
