import { Menu, nativeImage, Tray, type NativeImage } from "electron";
import type { HubStatus } from "../hub/api";
import { TRAY_ICON_SIZE, trayIconBitmap, trayView, type TrayState } from "./tray-status";

function icon(state: TrayState): NativeImage {
  const img = nativeImage.createFromBitmap(trayIconBitmap(state, TRAY_ICON_SIZE), {
    width: TRAY_ICON_SIZE,
    height: TRAY_ICON_SIZE,
  });
  const size2x = TRAY_ICON_SIZE * 2;
  img.addRepresentation({ scaleFactor: 2, width: size2x, height: size2x, buffer: trayIconBitmap(state, size2x) });
  return img;
}

/** The tray icon and its menu, redrawn from each status event. */
export class AppTray {
  private readonly tray: Tray;
  constructor(private readonly actions: { show(): void; quit(): void }) {
    this.tray = new Tray(icon("offline"));
    this.tray.on("click", () => actions.show());
    this.update(null);
  }

  update(status: HubStatus | null): void {
    const view = trayView(status);
    this.tray.setImage(icon(view.state));
    this.tray.setToolTip(view.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        ...view.lines.map((label) => ({ label, enabled: false })),
        { type: "separator" },
        { label: "Open Neural Link", click: () => this.actions.show() },
        { label: "Quit", click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
