import { CAPABILITIES, type Capability } from "@neural-link/shared/app";

/**
 * Stored caps, narrowed to those this build knows (an older or hand-edited
 * row may hold others). The UI, the store and the wire all use shared's
 * capability names, so this is the only translation there is.
 */
export function knownCaps(stored: readonly string[]): Capability[] {
  return stored.filter((c): c is Capability => (CAPABILITIES as readonly string[]).includes(c));
}

/** Caps in shared's canonical order, without duplicates: stored and shown the same way every time. */
export function canonicalCaps(caps: readonly Capability[]): Capability[] {
  return CAPABILITIES.filter((c) => caps.includes(c));
}
