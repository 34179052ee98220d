import { concatBytes, label, utf8Encode } from "../encoding/bytes";

export const AUTH_LABEL = "nlink-auth-v1";

/**
 * The exact bytes an AUTH signature covers:
 * `utf8("nlink-auth-v1\0") || challenge || utf8(relay id)`.
 * Binding the relay id keeps a signature made for one deployment from being
 * replayed against another that happens to issue the same challenge.
 */
export function authSigningInput(challenge: Uint8Array, relayId: string): Uint8Array {
  return concatBytes(label(AUTH_LABEL), challenge, utf8Encode(relayId));
}
