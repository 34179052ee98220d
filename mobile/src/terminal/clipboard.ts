/**
 * The system clipboard from a web page, with the fallbacks a phone needs.
 * The async Clipboard API exists only in secure contexts (https, or
 * localhost) and reading may be refused; then the caller offers a text box
 * the person pastes into by long-press (see PasteBox), and copying falls
 * back to a selected, hidden textarea and `document.execCommand("copy")`.
 */

/** The clipboard's text, or null when this page may not read it (the caller shows the paste box). */
export async function readClipboard(): Promise<string | null> {
  try {
    if (!window.isSecureContext || !navigator.clipboard?.readText) return null;
    return await navigator.clipboard.readText();
  } catch {
    return null; // refused, or no focus: the paste box takes over
  }
}

/** Copies text; resolves false when neither way worked (the caller says so). */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    // Deprecated, but the only way left on plain http (a phone on the LAN).
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
