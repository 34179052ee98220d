/**
 * xterm.js's DOM renderer writes its cell sizes and colours into <style>
 * elements it creates at run time. The relay serves this app with a strict
 * Content-Security-Policy (`style-src 'self'`), under which the browser
 * ignores such elements, and the terminal would render unstyled. This copies
 * the text of every <style> element under `root` into a constructed
 * stylesheet, which the policy does not govern (it is CSSOM, not markup),
 * and keeps the copy in step as xterm rewrites it.
 *
 * Returns a function that stops mirroring and removes the copies.
 */
export function mirrorInlineStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const adopt = (sheet: CSSStyleSheet) => {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  };
  const drop = (sheet: CSSStyleSheet) => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
  const sync = () => {
    for (const element of root.querySelectorAll("style")) {
      let sheet = sheets.get(element);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(element, sheet);
        adopt(sheet);
      }
      sheet.replaceSync(element.textContent ?? "");
    }
    for (const [element, sheet] of sheets) {
      if (!element.isConnected) {
        drop(sheet);
        sheets.delete(element);
      }
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    for (const sheet of sheets.values()) drop(sheet);
    sheets.clear();
  };
}
