import { type DocLink, isDocType } from "@neural-link/shared/sync";
import type { HubLink } from "../connection/hub-link";

export type { DocLink } from "@neural-link/shared/sync";

/**
 * Adapts the phone's HubLink: `doc.*` pushes in, `send` out. Online means the
 * relay connection is up and the desktop is connected too. A send that fails
 * (offline) is ignored: the next sync step 1 after reconnecting repairs it.
 */
export function docLinkFrom(link: HubLink): DocLink {
  const state = () => {
    const s = link.status();
    return { online: s.state === "online" && s.peerOnline, epoch: s.epoch };
  };
  return {
    send(t, d, qos) {
      link.send(t, d, qos).catch(() => {
        // offline: see above
      });
    },
    onMessage: (listener) =>
      link.onPush((p) => {
        if (isDocType(p.t)) listener(p.t, p.d);
      }),
    state,
    onState: (listener) => link.onStatus(() => listener(state())),
  };
}
