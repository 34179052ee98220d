import type { HubApi, Unsubscribe } from "../../hub/api";
import { useAudit } from "./stores/audit-store";
import { useDevices } from "./stores/devices-store";
import { useGrants } from "./stores/grants-store";
import { useMessages } from "./stores/messages-store";
import { REMEMBERED_ACTIONS, useRemembered } from "./stores/remembered-store";
import { usePairing } from "./stores/pairing-store";
import { useStatus } from "./stores/status-store";
import { useTasks } from "./stores/tasks-store";
import { useTerminals } from "./stores/terminals-store";

/**
 * Routes every hub event into the store of its concern. Terminal output is
 * not stored: each TerminalView subscribes to it directly, so a busy shell
 * does not re-render React.
 */
export function wireEvents(api: HubApi): Unsubscribe {
  const offs = [
    api.on("status", (s) => useStatus.getState().apply(s)),
    api.on("pairing.request", (r) => usePairing.getState().onRequest(r)),
    api.on("pairing.done", (d) => usePairing.getState().onDone(d)),
    api.on("devices", (d) => useDevices.getState().apply(d)),
    api.on("message", (m) => useMessages.getState().onMessage(m)),
    api.on("task", (t) => useTasks.getState().onTask(t)),
    api.on("approval.request", (t) => useTasks.getState().onApprovalRequest(t)),
    api.on("terminal.exit", (e) => useTerminals.getState().onExit(e.id)),
    api.on("audit", (e) => {
      useAudit.getState().onEntry(e);
      if (REMEMBERED_ACTIONS.has(e.action)) void useRemembered.getState().load();
    }),
    api.on("workspace", (e) => useGrants.getState().onChange(e)),
  ];
  return () => offs.forEach((off) => off());
}
