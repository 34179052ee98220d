import { MOBILE_SETTINGS } from "../settings";
import type { KeyValue } from "../storage/kv";
import { logFailure } from "@neural-link/ui/log";

/** Storage key of the terminal's font size chosen with A−/A+ (docs/mobile.md, "Storage"). */
export const FONT_SIZE_KEY = "terminal/font-size/v1";

/** The size to use: a stored one within bounds, else the default. */
export function clampFontSize(size: unknown): number {
  const { terminalFontSize, terminalFontSizeMin, terminalFontSizeMax } = MOBILE_SETTINGS;
  if (typeof size !== "number" || !Number.isFinite(size)) return terminalFontSize;
  return Math.min(terminalFontSizeMax, Math.max(terminalFontSizeMin, Math.round(size)));
}

export async function loadFontSize(kv: KeyValue): Promise<number> {
  try {
    return clampFontSize(await kv.get<number>(FONT_SIZE_KEY));
  } catch {
    return MOBILE_SETTINGS.terminalFontSize;
  }
}

/** One step up (+1) or down (-1), within bounds. Synchronous, so that quick taps each count. */
export function stepFontSize(current: number, direction: 1 | -1): number {
  return clampFontSize(current + direction * MOBILE_SETTINGS.terminalFontSizeStep);
}

/** Keeps the chosen size on this phone. */
export async function saveFontSize(kv: KeyValue, size: number): Promise<void> {
  const next = clampFontSize(size);
  // Not stored (storage full or denied): the size still applies now, only not at the next start.
  await kv.set(FONT_SIZE_KEY, next).catch(logFailure("terminal font size not stored", { next }));
}
