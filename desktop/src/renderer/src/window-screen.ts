/**
 * This window's own id for the terminal size policy (HubApi `screen`), made once per window: two windows of the
 * desktop UI (the app's and a browser tab in web mode) at different sizes are two viewers, and the pty takes the
 * size of the one that typed last instead of being resized back and forth between them.
 */
export const WINDOW_SCREEN = Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) =>
  b.toString(16).padStart(2, "0"),
).join("");

/** How this window is named as the size's holder in "terminal.resized" and in snapshots. */
export const WINDOW_HOLDER = `desktop:${WINDOW_SCREEN}`;

/** Whether a holder named in "terminal.resized" or a snapshot is this window ("desktop": an older hub, one viewer). */
export function heldHere(by: string): boolean {
  return by === WINDOW_HOLDER || by === "desktop";
}
