import { useMemo } from "react";
import { useStore } from "zustand";
import { deviceIdOf } from "@neural-link/shared/crypto";
import { NotesPad } from "@neural-link/ui/notes";
import { notesLinkFrom, PHONE_PAD_WORDS, usePhoneNotes } from "../../notes";
import type { Session } from "../../stores/session";
import { useAppStores } from "../app-context";
import { NoDesktop } from "./NoDesktop";

/** The shared notes pad of the chosen desktop (mobile/src/notes, docs/notes.md). */
export function NotesScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <Notes session={session} key={session.pairing.device} />;
}

function Notes({ session }: { session: Session }) {
  const { app, kv, phoneName } = useAppStores();
  const identity = useStore(app, (s) => s.identity);
  const link = useMemo(() => notesLinkFrom(session.link), [session]);
  const device = identity ? deviceIdOf(identity.signPublicKey) : "";
  const { doc, state, loading } = usePhoneNotes({
    name: "notes",
    link,
    kv,
    hubDevice: session.pairing.device,
    user: { name: phoneName, device },
  });
  if (loading || !doc) {
    return (
      <p className="panel" role="status">
        {state.error ?? "Opening notes…"}
      </p>
    );
  }
  return <NotesPad doc={doc} state={state} words={PHONE_PAD_WORDS} />;
}
