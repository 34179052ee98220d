import * as Y from "yjs";
import { DocSyncError } from "./errors";

/**
 * Refuses an update that Yjs cannot read, by applying it to an empty scratch
 * document first. An update whose dependencies are missing is not malformed:
 * Yjs keeps it pending until they arrive, in the scratch doc as in the real one.
 * Throws `DocSyncError("bad_update")`.
 */
export function checkUpdate(update: Uint8Array): void {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, update);
  } catch (err) {
    throw new DocSyncError("bad_update", "update is malformed", { cause: err });
  } finally {
    scratch.destroy();
  }
}

/**
 * Applies a peer's update to `doc` only if it passed `checkUpdate`. If the real
 * apply still throws (an update can be well-formed yet clash with this
 * document's content), `doc` may hold part of it: the caller must then
 * rebuild the document from its store, and must never persist this update.
 * The hub does exactly that (desktop/src/hub/notes/notes-service.ts).
 */
export function applyCheckedUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  checkUpdate(update);
  try {
    Y.applyUpdate(doc, update, origin);
  } catch (err) {
    throw new DocSyncError("bad_update", "update failed to apply", { cause: err });
  }
}
