import type { ReplicaState } from "@neural-link/shared/sync";
import { type DependencyList, useEffect, useState, useSyncExternalStore } from "react";

/** What the hook follows: a document with a state and change notifications (`DocReplica`, `PhoneNotes`). */
export interface NotesSource {
  getState(): ReplicaState;
  subscribe(listener: () => void): () => void;
}

const EMPTY: ReplicaState = { text: "", editors: [], online: false, synced: false, error: null };
const noSubscribe = () => () => {};
const emptyState = () => EMPTY;

/** Said when `open` failed (with the reason); the pad is then not shown. */
export const OPEN_FAILED = "The document could not be opened";

const openFailed = (err: unknown) => `${OPEN_FAILED}: ${err instanceof Error ? err.message : String(err)}`;

/**
 * Keeps a shared document open while the calling component is mounted and
 * returns it with its current state. `open` may be synchronous (a replica
 * over the desktop's UI transport) or asynchronous (the phone reads its
 * IndexedDB copy first); `close` runs on unmount, on a change of `deps`,
 * and for a document that finished opening after the component left.
 *
 * @example
 * const { doc, state } = useNotesDoc(() => startReplica(bridge), (r) => r.destroy(), [bridge, userName]);
 */
export function useNotesDoc<D extends NotesSource>(
  open: () => D | Promise<D>,
  close: (doc: D) => void,
  deps: DependencyList,
): { doc: D | null; state: ReplicaState; loading: boolean } {
  const [doc, setDoc] = useState<D | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let opened: D | null = null;
    const adopt = (d: D) => {
      if (cancelled) return close(d);
      opened = d;
      setDoc(d);
    };
    setFailed(null);
    try {
      const result = open();
      if (result instanceof Promise) result.then(adopt, (err: unknown) => !cancelled && setFailed(openFailed(err)));
      else adopt(result);
    } catch (err) {
      setFailed(openFailed(err));
    }
    return () => {
      cancelled = true;
      setDoc(null);
      if (opened) close(opened);
    };
    // The caller names what identifies the document; `open` and `close` are new on every render.
  }, deps);
  const state = useSyncExternalStore(doc ? doc.subscribe : noSubscribe, doc ? doc.getState : emptyState);
  return { doc, state: failed ? { ...state, error: failed } : state, loading: !doc && !failed };
}
