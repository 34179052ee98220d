import { CAPABILITIES as WIRE_CAPS, type Capability as WireCap } from "@neural-link/shared/app";
import type { Capability as UiCap } from "../bridge/api-contract";

/**
 * The desktop UI names capabilities by area (messages, tasks, terminals,
 * docs); the wire (shared/app, `pair.accept`, method registry) is finer and
 * splits approving from running tasks. The store keeps the wire names.
 */
const UI_TO_WIRE: Record<UiCap, WireCap[]> = {
  messages: ["chat"],
  tasks: ["tasks", "approve"],
  terminals: ["terminal"],
  docs: ["doc"],
};

export function wireCapsOf(ui: readonly UiCap[]): WireCap[] {
  return [...new Set(ui.flatMap((c) => UI_TO_WIRE[c]))];
}

export function uiCapsOf(wire: readonly string[]): UiCap[] {
  const has = new Set(wire);
  return (Object.keys(UI_TO_WIRE) as UiCap[]).filter((ui) => has.has(UI_TO_WIRE[ui][0]!));
}

/** Stored caps, narrowed to those this build knows (an older or hand-edited row may hold others). */
export function knownWireCaps(stored: readonly string[]): WireCap[] {
  return stored.filter((c): c is WireCap => (WIRE_CAPS as readonly string[]).includes(c));
}
