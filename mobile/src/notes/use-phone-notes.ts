import { useNotesDoc } from "@neural-link/ui/notes";
import { PhoneNotes, type PhoneNotesOptions, type PhoneNotesState } from "./phone-notes";

/**
 * Opens a shared document for as long as the calling component is mounted
 * (cache first, then live sync) and returns it with its current state.
 * Re-opens when the hub or the document changes.
 *
 * @example const { doc, state } = usePhoneNotes({ name: "notes", link, kv, hubDevice, user });
 */
export function usePhoneNotes(options: PhoneNotesOptions): {
  doc: PhoneNotes | null;
  state: PhoneNotesState;
  loading: boolean;
} {
  const { name, hubDevice, link, kv } = options;
  // Only these identify the document; a new `user` object must not reopen it.
  return useNotesDoc(
    () => PhoneNotes.open(options),
    (d) => void d.close(),
    [name, hubDevice, link, kv],
  );
}
