import { isDocType } from "@neural-link/shared/sync";
import type { Logger } from "pino";
import type { HubLink } from "../link/hub-link";
import type { Store } from "../store";
import { DocService } from "./doc-service";
import type { DocsSettings } from "./docs-settings";

export interface HubDocsDeps {
  store: Store;
  link: Pick<HubLink, "on" | "send">;
  log: Logger;
  /** The hub's name, shown to the phones while the desktop edits. */
  name: () => string;
  settings?: Partial<DocsSettings>;
}

/**
 * Opens the hub's documents and joins them to the relay link: `doc.*` frames
 * from paired devices go to the DocService, its messages go out sealed to
 * one device each, and a device that goes offline has its sessions closed
 * (it resyncs with step 1 when back). Access is the `doc` capability of a
 * device that is paired and not revoked, read from the store on every
 * message, so a change of capabilities or a revoke acts at once.
 *
 * @example const { docs, stop } = await startHubDocs({ store, link, log, name: () => hubName });
 */
export async function startHubDocs(deps: HubDocsDeps): Promise<{ docs: DocService; stop: () => Promise<void> }> {
  const log = deps.log.child({ mod: "hub/docs-link" });
  const docs = await DocService.open({
    db: deps.store.db,
    canAccess: async (device) => {
      const d = await deps.store.devices.get(device);
      return d !== undefined && d.revokedAt === null && d.caps.includes("doc");
    },
    send: (to, t, d, qos) => {
      // A message that cannot go out (relay down, peer just revoked) is repaired by the next sync step 1.
      deps.link.send(to, t, d, qos).catch((err: unknown) => log.debug({ to, t, err: String(err) }, "document message not sent"));
    },
    log: deps.log,
    // A getter: the hub can be renamed while it runs.
    localUser: {
      get name() {
        return deps.name();
      },
    },
    ...(deps.settings ? { settings: deps.settings } : {}),
  });
  const offs = [
    deps.link.on("message", (m) => {
      if (isDocType(m.t)) void docs.handleMessage(m.from, m.t, m.d);
    }),
    deps.link.on("presence", (p) => {
      if (!p.online) docs.closePeer(p.device);
    }),
  ];
  return {
    docs,
    stop: async () => {
      for (const off of offs) off();
      await docs.close();
    },
  };
}
