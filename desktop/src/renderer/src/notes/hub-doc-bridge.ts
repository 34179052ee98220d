import type { HubApi } from "../../../hub/api";
import type { HubDocBridge } from "../../docs";
import { useUi } from "../stores/ui-store";

/**
 * The notes pad's way to the hub's documents over this page's transport:
 * `docMessage` calls out, `doc.message` events in. The transport is up while
 * the app shows no "not connected" banner; while the web bridge reconnects
 * the pad says it is offline instead of typing into the void.
 *
 * @example const bridge = useMemo(() => hubDocBridge(hub()), []);
 */
export function hubDocBridge(api: Pick<HubApi, "docMessage" | "on">): HubDocBridge {
  const up = (s: { disconnected: string | null }) => s.disconnected === null;
  return {
    send: (m) => api.docMessage(m),
    onMessage: (listener) => api.on("doc.message", listener),
    connected: () => up(useUi.getState()),
    onConnected: (listener) =>
      useUi.subscribe((s, prev) => {
        if (up(s) !== up(prev)) listener(up(s));
      }),
  };
}
