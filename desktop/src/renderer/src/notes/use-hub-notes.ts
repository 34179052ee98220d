import { type DocName, DocReplica, type ReplicaState } from "@neural-link/shared/sync";
import { useNotesDoc } from "@neural-link/ui/notes";
import { type HubNotesBridge, notesLinkFromBridge } from "./notes-bridge";

/**
 * The desktop UI's copy of a hub document while the calling component is
 * mounted. No cache: the hub, on this machine, is the home copy.
 *
 * @example const { doc, state } = useHubNotes({ name: "notes", bridge, user: { name: "Desk", device: "desktop" } });
 */
export function useHubNotes(options: {
  name: DocName;
  bridge: HubNotesBridge;
  user: { name: string; device: string; colour?: string };
}): {
  doc: DocReplica | null;
  state: ReplicaState;
} {
  const { name, bridge } = options;
  // The user's name is what can change; the object around it is new on every render.
  const { doc, state } = useNotesDoc(
    () => {
      const replica = new DocReplica({ name, link: notesLinkFromBridge(bridge), user: options.user });
      replica.start();
      return replica;
    },
    (replica) => replica.destroy(),
    [name, bridge, options.user.name],
  );
  return { doc, state };
}
