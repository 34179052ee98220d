import { isNotesType } from "@neural-link/shared/sync";
import type { Logger } from "pino";
import type { HubLink } from "../link/hub-link";
import type { Store } from "../store";
import { NotesService } from "./notes-service";
import type { NotesSettings } from "./notes-settings";

export interface HubNotesDeps {
  store: Store;
  link: Pick<HubLink, "on" | "send">;
  log: Logger;
  /** The hub's name, shown to the phones while the desktop edits. */
  name: () => string;
  settings?: Partial<NotesSettings>;
}

/**
 * Opens the hub's documents and joins them to the relay link: `notes.*` frames
 * from paired devices go to the NotesService, its messages go out sealed to
 * one device each, and a device that goes offline has its sessions closed
 * (it resyncs with step 1 when back). Access is the `doc` capability of a
 * device that is paired and not revoked, read from the store on every
 * message, so a change of capabilities or a revoke acts at once.
 *
 * @example const { service, stop } = await startHubNotes({ store, link, log, name: () => hubName });
 */
export async function startHubNotes(deps: HubNotesDeps): Promise<{ service: NotesService; stop: () => Promise<void> }> {
  const log = deps.log.child({ mod: "hub/notes-link" });
  const service = await NotesService.open({
    db: deps.store.db,
    canAccess: async (device) => {
      const d = await deps.store.devices.get(device);
      return d !== undefined && d.revokedAt === null && d.caps.includes("doc");
    },
    send: (to, t, d, qos) => {
      // A message that cannot go out (relay down, peer just revoked) is repaired by the next sync step 1.
      deps.link
        .send(to, t, d, qos)
        .catch((err: unknown) => log.debug({ to, t, err: String(err) }, "document message not sent"));
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
      if (isNotesType(m.t)) void service.handleMessage(m.from, m.t, m.d);
    }),
    deps.link.on("presence", (p) => {
      if (!p.online) service.closePeer(p.device);
    }),
  ];
  return {
    service,
    stop: async () => {
      for (const off of offs) off();
      await service.close();
    },
  };
}
