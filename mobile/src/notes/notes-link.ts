import { type DocLink, isNotesType } from "@neural-link/shared/sync";
import type { HubLink } from "../connection/hub-link";
import { logFailure } from "@neural-link/ui/log";

export type { DocLink } from "@neural-link/shared/sync";

/**
 * Adapts the phone's HubLink: `notes.*` pushes in, `send` out. Online means the
 * relay connection is up and the desktop is connected too. A send that fails
 * (offline) is logged at debug and not retried: the next sync step 1 after
 * reconnecting repairs it.
 */
export function notesLinkFrom(link: HubLink): DocLink {
  const state = () => {
    const s = link.status();
    return { online: s.state === "online" && s.peerOnline, epoch: s.epoch };
  };
  return {
    send(t, d, qos) {
      link
        .send(t, d, qos)
        .catch(logFailure("notes message not sent (offline: the next sync repairs it)", { t }, "debug"));
    },
    onMessage: (listener) =>
      link.onPush((p) => {
        if (isNotesType(p.t)) listener(p.t, p.d);
      }),
    state,
    onState: (listener) => link.onStatus(() => listener(state())),
  };
}
