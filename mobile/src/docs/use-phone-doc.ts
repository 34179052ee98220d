import { useEffect, useState, useSyncExternalStore } from "react";
import { PhoneDoc, type PhoneDocOptions, type PhoneDocState } from "./phone-doc";

const EMPTY: PhoneDocState = { text: "", editors: [], online: false, synced: false, error: null };
const noSubscribe = () => () => {};
const emptyState = () => EMPTY;

/**
 * Opens a shared document for as long as the calling component is mounted
 * (cache first, then live sync) and returns it with its current state.
 * Re-opens when the hub or the document changes.
 *
 * @example const { doc, state } = usePhoneDoc({ name: "notes", link, kv, hubDevice, user });
 */
export function usePhoneDoc(options: PhoneDocOptions): { doc: PhoneDoc | null; state: PhoneDocState; loading: boolean } {
  const [doc, setDoc] = useState<PhoneDoc | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const { name, hubDevice, link, kv } = options;
  useEffect(() => {
    let cancelled = false;
    let opened: PhoneDoc | null = null;
    PhoneDoc.open(options).then(
      (d) => {
        if (cancelled) void d.close();
        else {
          opened = d;
          setDoc(d);
        }
      },
      () => !cancelled && setFailed("The document could not be opened."),
    );
    return () => {
      cancelled = true;
      setDoc(null);
      void opened?.close();
    };
    // Only these identify the document; a new `user` object must not reopen it.
  }, [name, hubDevice, link, kv]);
  const state = useSyncExternalStore(doc ? doc.subscribe : noSubscribe, doc ? doc.getState : emptyState);
  return { doc, state: failed ? { ...state, error: failed } : state, loading: !doc && !failed };
}
