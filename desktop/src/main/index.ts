import { app, ipcMain, type BrowserWindow } from "electron";
import { homedir } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { HubNode } from "../hub/hub-node";
import { createAppWindow, hardenSession } from "./app-window";
import { AppTray } from "./app-tray";
import { startNotifier } from "./app-notifier";
import { preloadPath, resolveAppUrl } from "./app-url";
import { hubDataDir } from "./hub-data-dir";
import { forwardHubEvents, registerHubIpc } from "./hub-ipc";

// Wiring only: every decision below lives in a tested module of this folder.
const log = pino({ level: process.env.NLINK_LOG_LEVEL ?? "info" });
const mlog = log.child({ mod: "main" });

async function main(): Promise<void> {
  await app.whenReady();
  const mainDir = dirname(fileURLToPath(import.meta.url));
  const appUrl = resolveAppUrl(mainDir, process.env, app.isPackaged);
  hardenSession(() => appUrl);

  const hub = await HubNode.start({ dataDir: hubDataDir(process.env, homedir()), log });
  let win: BrowserWindow | null = null;
  const show = (): void => {
    if (!win || win.isDestroyed()) {
      win = createAppWindow(preloadPath(mainDir), appUrl);
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  registerHubIpc(ipcMain, hub, () => appUrl, log);
  forwardHubEvents(hub, (channel, name, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(channel, name, payload);
  });
  const tray = new AppTray({ show, quit: () => app.quit() });
  hub.on("status", (s) => tray.update(s));
  tray.update(await hub.getStatus());
  startNotifier(hub, { windowFocused: () => win !== null && !win.isDestroyed() && win.isFocused(), show }, (err) =>
    mlog.warn({ err: String(err) }, "notification failed"),
  );

  app.on("second-instance", show);
  app.on("activate", show);
  // Closing the window leaves the hub running in the tray; Quit in the tray menu ends it.
  app.on("window-all-closed", () => undefined);
  let stopping = false;
  app.on("before-quit", (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    tray.destroy();
    hub
      .stop()
      .catch((err: unknown) => mlog.error({ err: String(err) }, "hub did not stop cleanly"))
      .finally(() => app.exit(0));
  });
  show();
}

// One app per person: a second start hands over to the first and exits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((err: unknown) => {
    mlog.fatal({ err: String(err) }, "Neural Link could not start");
    app.exit(1);
  });
}
