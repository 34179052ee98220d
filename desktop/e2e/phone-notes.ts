import { type DocLink, DocName, DocReplica, type NotesType, isNotesType } from "@neural-link/shared/sync";
import type { TestPhone } from "../test/test-phone";

/**
 * A paired test phone's copy of the hub's notes, made of shared code only
 * (DocReplica over the phone's end-to-end endpoint), as the phone app's
 * PhoneNotes is without its IndexedDB cache. Online while the hub is (PRESENCE).
 *
 * @example const notes = phoneNotes(phone, hub.device, "Pixel 9"); notes.setText("hi");
 */
export function phoneNotes(phone: TestPhone, hub: string, name: string): DocReplica {
  let state = { online: phone.gateway.peersOnline().includes(hub), epoch: 1 };
  const listeners = new Set<(s: typeof state) => void>();
  const set = (online: boolean) => {
    state = { online, epoch: state.epoch + 1 };
    for (const l of [...listeners]) l(state);
  };
  const offs = [
    phone.gateway.on("presence", (p) => p.device === hub && set(p.online)),
    phone.gateway.on("ready", (r) => set(r.peersOnline.includes(hub))),
  ];
  const link: DocLink = {
    // A lost message is repaired by the next sync step 1, as in the phone app.
    send: (t, d, qos) => void phone.endpoint.send(hub, t, d, qos).catch(() => undefined),
    onMessage: (l: (t: NotesType, d: unknown) => void) =>
      phone.endpoint.on("message", (m) => m.from === hub && isNotesType(m.t) && l(m.t, m.d)),
    state: () => state,
    onState: (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
  const replica = new DocReplica({ name: DocName.NOTES, link, user: { name, device: phone.device } });
  replica.start();
  const destroy = replica.destroy.bind(replica);
  replica.destroy = () => {
    for (const off of offs) off();
    destroy();
  };
  return replica;
}
