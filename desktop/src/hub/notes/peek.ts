import { b64uDecode } from "@neural-link/shared/encoding";
import { notesSyncSchema } from "@neural-link/shared/sync";

/**
 * Whether a `notes.sync` payload is an unchunked sync step 1 (first byte 0,
 * messageYjsSyncStep1), decoding only its first 4 characters (3 bytes).
 */
export function isStep1(d: unknown): boolean {
  const msg = notesSyncSchema.safeParse(d);
  if (!msg.success || msg.data.chunk) return false;
  try {
    return b64uDecode(msg.data.data.slice(0, 4))[0] === 0;
  } catch {
    return false;
  }
}
