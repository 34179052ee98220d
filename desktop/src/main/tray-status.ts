import type { HubStatus } from "../hub/api";

export type TrayState = "offline" | "ok" | "attention";

export interface TrayView {
  state: TrayState;
  /** Hover text (some platforms cut it near 64 characters, so the first line says the most). */
  tooltip: string;
  /** Disabled, informational lines at the top of the tray menu. */
  lines: string[];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What the tray shows for a hub status: attention when approvals wait,
 * offline when the relay is not connected (or the hub is not set up), else ok.
 */
export function trayView(status: HubStatus | null): TrayView {
  if (!status || !status.setupDone) {
    return { state: "offline", tooltip: "Neural Link: not set up", lines: ["Not set up yet: open the window"] };
  }
  const relay = status.relay.connected ? "Relay connected" : "Relay offline";
  const devices = `${status.devicesOnline} of ${plural(status.devicesPaired, "device", "devices")} online`;
  const approvals =
    status.approvalsWaiting > 0
      ? plural(status.approvalsWaiting, "task waits for approval", "tasks wait for approval")
      : "No approvals waiting";
  const state: TrayState = status.approvalsWaiting > 0 ? "attention" : status.relay.connected ? "ok" : "offline";
  const first = state === "attention" ? approvals : relay;
  return { state, tooltip: `Neural Link: ${first}`, lines: [relay, devices, approvals] };
}

/** Tray icon edge length in pixels (drawn at 2x for HiDPI by the caller). */
export const TRAY_ICON_SIZE = 16;

const COLORS: Record<TrayState, [number, number, number]> = {
  ok: [0x2e, 0xa0, 0x4f],
  offline: [0x8a, 0x8a, 0x93],
  attention: [0xe0, 0x8a, 0x00],
};

/**
 * A filled, anti-aliased dot in the state's colour as raw BGRA pixels, for
 * `nativeImage.createFromBitmap`. Drawn in code so the app ships no icon
 * files per state and the tray can never show a stale one.
 */
export function trayIconBitmap(state: TrayState, size = TRAY_ICON_SIZE): Buffer {
  const [r, g, b] = COLORS[state];
  const buf = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const radius = size * 0.42;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, radius - d + 0.5));
      const i = (y * size + x) * 4;
      buf[i] = b;
      buf[i + 1] = g;
      buf[i + 2] = r;
      buf[i + 3] = Math.round(alpha * 255);
    }
  }
  return buf;
}
