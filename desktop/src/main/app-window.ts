import { BrowserWindow, session, type Session } from "electron";
import { RENDERER_CSP } from "./content-security-policy";
import { allowNavigation, allowPermission, windowOpenAction } from "./navigation-guard";
import { mainWindowOptions } from "./window-options";

/**
 * Session-wide guards, installed once before any window exists: permissions
 * refused (but clipboard writes from the app), and the CSP also sent as a
 * response header for pages served over http (the dev server).
 */
export function hardenSession(appUrl: () => string, ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(allowPermission(permission, details.requestingUrl || wc.getURL(), appUrl())),
  );
  // For file:// pages the origin is just "file:///", so the full requesting URL is what identifies the app page.
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    allowPermission(permission, details.requestingUrl ?? requestingOrigin, appUrl()),
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [RENDERER_CSP] } });
  });
}

/** The one app window, with navigation and window.open blocked. */
export function createAppWindow(preloadPath: string, appUrl: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  const contents = win.webContents;
  contents.setWindowOpenHandler(() => windowOpenAction());
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!allowNavigation(url, appUrl)) event.preventDefault();
  };
  contents.on("will-navigate", guard);
  contents.on("will-redirect", guard);
  contents.on("will-attach-webview", (event) => event.preventDefault());
  win.once("ready-to-show", () => win.show());
  void win.loadURL(appUrl);
  return win;
}
