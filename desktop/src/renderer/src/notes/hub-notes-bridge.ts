import type { HubApi } from "../../../hub/api";
import type { HubNotesBridge } from "./notes-bridge";
import { useUi } from "../stores/ui-store";

/**
 * The notes pad's way to the hub's documents over this page's transport:
 * `notesMessage` calls out, `notes.message` events in. The transport is up while
 * the app shows no "not connected" banner; while the web bridge reconnects
 * the pad says it is offline instead of typing into the void.
 *
 * @example const bridge = useMemo(() => hubNotesBridge(hub()), []);
 */
export function hubNotesBridge(api: Pick<HubApi, "notesMessage" | "on">): HubNotesBridge {
  const up = (s: { disconnected: string | null }) => s.disconnected === null;
  return {
    send: (m) => api.notesMessage(m),
    onMessage: (listener) => api.on("notes.message", listener),
    connected: () => up(useUi.getState()),
    onConnected: (listener) =>
      useUi.subscribe((s, prev) => {
        if (up(s) !== up(prev)) listener(up(s));
      }),
  };
}
