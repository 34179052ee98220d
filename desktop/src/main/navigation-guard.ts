/**
 * Decisions for what the app window may load. The window shows exactly one
 * page (the built renderer, or the dev server in `npm run dev`); it never
 * navigates elsewhere and never opens other windows.
 */

/** True if `url` is the app's own page (same file, or same dev-server origin). */
export function isAppUrl(url: string, appUrl: string): boolean {
  let target: URL;
  let app: URL;
  try {
    target = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === "file:") return target.protocol === "file:" && target.pathname === app.pathname;
  return target.origin === app.origin;
}

/** will-navigate / will-redirect: only reloads of the app page itself. */
export function allowNavigation(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl);
}

/** setWindowOpenHandler: new windows are always refused. */
export function windowOpenAction(): { action: "deny" } {
  return { action: "deny" };
}

/**
 * setPermissionRequestHandler / setPermissionCheckHandler: everything is
 * refused except writing text to the clipboard from the app page (the
 * "Copy link" button of pairing).
 */
export function allowPermission(permission: string, requestingUrl: string, appUrl: string): boolean {
  return permission === "clipboard-sanitized-write" && isAppUrl(requestingUrl, appUrl);
}
