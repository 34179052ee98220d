import {
  generateIdentity,
  type Identity,
  identityFromStored,
  identityToStored,
  type StoredIdentity,
} from "@neural-link/shared/crypto";
import { StorageError } from "./errors";
import type { KeyValue } from "./kv";

export const IDENTITY_KEY = "identity/v1";

/**
 * The phone's key pairs: made once, on first use, and kept in local
 * storage. The secret halves never leave the device.
 */
export async function loadOrCreateIdentity(kv: KeyValue, make: () => Identity = generateIdentity): Promise<Identity> {
  const stored = await kv.get<StoredIdentity>(IDENTITY_KEY);
  if (stored !== undefined) {
    try {
      return identityFromStored(stored);
    } catch (e) {
      // Never replace a broken identity silently: every pairing depends on it.
      throw new StorageError(`the stored device identity is unusable (${e instanceof Error ? e.message : "unknown"})`);
    }
  }
  const identity = make();
  await kv.set(IDENTITY_KEY, identityToStored(identity));
  return identity;
}
