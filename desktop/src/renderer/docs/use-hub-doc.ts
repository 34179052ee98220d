import { type DocName, DocReplica, type ReplicaState } from "@neural-link/shared/sync";
import { useEffect, useState, useSyncExternalStore } from "react";
import { docLinkFromBridge, type HubDocBridge } from "./doc-bridge";

const EMPTY: ReplicaState = { text: "", editors: [], online: false, synced: false, error: null };
const noSubscribe = () => () => {};
const emptyState = () => EMPTY;

/**
 * The desktop UI's copy of a hub document while the calling component is
 * mounted. No cache: the hub, on this machine, is the home copy.
 *
 * @example const { doc, state } = useHubDoc({ name: "notes", bridge, user: { name: "Desk", device: "desktop" } });
 */
export function useHubDoc(options: { name: DocName; bridge: HubDocBridge; user: { name: string; device: string; colour?: string } }): {
  doc: DocReplica | null;
  state: ReplicaState;
} {
  const [doc, setDoc] = useState<DocReplica | null>(null);
  const { name, bridge } = options;
  const userName = options.user.name;
  useEffect(() => {
    const replica = new DocReplica({ name, link: docLinkFromBridge(bridge), user: options.user });
    replica.start();
    setDoc(replica);
    return () => {
      setDoc(null);
      replica.destroy();
    };
    // The user's name is what can change; the object around it is new on every render.
  }, [name, bridge, userName]);
  const state = useSyncExternalStore(doc ? doc.subscribe : noSubscribe, doc ? doc.getState : emptyState);
  return { doc, state };
}
