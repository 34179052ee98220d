import type { BrowserWindowConstructorOptions, WebPreferences } from "electron";

/** Size of the main window on first start. */
export const WINDOW_DEFAULTS = { width: 1200, height: 800, minWidth: 760, minHeight: 520 };

/**
 * The renderer's web preferences: sandboxed, context-isolated, no Node, no
 * remote content tricks. Every flag is spelled out even where it is already
 * Electron's default, so a future default change cannot loosen it silently.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: true,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_DEFAULTS,
    title: "Neural Link",
    show: false,
    autoHideMenuBar: true,
    backgroundColor: "#16161a",
    webPreferences: secureWebPreferences(preloadPath),
  };
}
