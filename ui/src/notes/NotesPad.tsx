import { decodeCursor, encodeCursor, type Editor, type ReplicaState } from "@neural-link/shared/sync";
import { type CSSProperties, type ReactNode, useEffect, useLayoutEffect, useRef } from "react";
import "./notes-pad.css";
import type * as Y from "yjs";

/** What the pad edits: a shared `DocReplica`, or an app object wrapping one (the phone's `PhoneNotes`). */
export interface EditableDoc {
  readonly text: Y.Text;
  setText(value: string): void;
  setCursor(sel: { anchor: number; head: number } | null): void;
}

/** Test ids the end-to-end suites of both apps drive (real Chromium pages). */
export const NOTES_PAD_TEST_IDS = {
  textarea: "notes-pad-textarea",
  editors: "notes-pad-editors",
  status: "notes-pad-status",
  caret: "notes-pad-caret",
} as const;

/** The status line's words, which differ by app: where edits wait, and who the other side is. */
export interface NotesPadWords {
  /** Shown while offline; edits are kept locally meanwhile. */
  offline: string;
  /** Shown when online and in sync. */
  synced: string;
  /** Shown when online and the first sync is not done yet. */
  syncing: string;
}

function statusText(s: ReplicaState, words: NotesPadWords): string {
  if (!s.online) return words.offline;
  return s.synced ? words.synced : words.syncing;
}

/** Text with the other editors' carets placed at their positions (the mirror behind the textarea). */
function mirrorContent(text: string, editors: Editor[]): ReactNode[] {
  const carets = editors.filter((e) => !e.self && e.head !== null).sort((a, b) => a.head! - b.head!);
  const out: ReactNode[] = [];
  let at = 0;
  for (const e of carets) {
    const head = Math.min(e.head!, text.length);
    out.push(text.slice(at, head));
    const style = { borderColor: e.colour, "--caret-colour": e.colour } as CSSProperties;
    out.push(
      <span
        key={e.clientId}
        className="notes-pad-caret"
        data-testid={NOTES_PAD_TEST_IDS.caret}
        data-name={e.name}
        style={style}
      />,
    );
    at = head;
  }
  // A trailing space keeps a caret at the very end on its line.
  out.push(`${text.slice(at)} `);
  return out;
}

/**
 * The shared notes pad of both apps: a plain textarea bound to the
 * document's Y.Text, the other editors' live carets, who is editing, and
 * whether edits are live or waiting offline (in the app's own `words`).
 *
 * @example
 * const { doc, state } = useNotesDoc(() => PhoneNotes.open(options), (d) => void d.close(), [hubDevice]);
 * return doc ? <NotesPad doc={doc} state={state} words={PHONE_WORDS} /> : <p>Opening…</p>;
 */
export function NotesPad({
  doc,
  state,
  words,
  label = "Shared notes",
}: {
  doc: EditableDoc;
  state: ReplicaState;
  words: NotesPadWords;
  label?: string;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const composing = useRef(false);
  /** Our selection as Yjs relative positions, so it stays on its characters while others type. */
  const selection = useRef<{ anchor: string; head: string } | null>(null);

  const publishSelection = () => {
    const el = area.current;
    if (!el) return;
    const backwards = el.selectionDirection === "backward";
    const sel = {
      anchor: backwards ? el.selectionEnd : el.selectionStart,
      head: backwards ? el.selectionStart : el.selectionEnd,
    };
    selection.current = { anchor: encodeCursor(doc.text, sel.anchor), head: encodeCursor(doc.text, sel.head) };
    doc.setCursor(sel);
  };

  // The textarea is uncontrolled: React must never write its value (a `value` or
  // `defaultValue` prop would move the caret on every render). Remote changes
  // are written here, and our caret is put back on the characters it was on.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el || composing.current || el.value === state.text) return;
    el.value = state.text;
    const sel = selection.current;
    if (sel && document.activeElement === el) {
      const anchor = decodeCursor(doc.text, sel.anchor) ?? state.text.length;
      const head = decodeCursor(doc.text, sel.head) ?? anchor;
      el.setSelectionRange(Math.min(anchor, head), Math.max(anchor, head), anchor > head ? "backward" : "forward");
    }
  }, [doc, state.text]);

  useEffect(() => {
    const el = area.current;
    const m = mirror.current;
    if (!el || !m) return;
    const sync = () => void (m.scrollTop = el.scrollTop);
    el.addEventListener("scroll", sync);
    return () => el.removeEventListener("scroll", sync);
  }, []);

  const onInput = () => {
    if (composing.current || !area.current) return;
    doc.setText(area.current.value);
    publishSelection();
  };

  return (
    <section className="notes-pad" aria-label={label}>
      <ul className="notes-pad-editors" data-testid={NOTES_PAD_TEST_IDS.editors} aria-label="Editing now">
        {state.editors.map((e) => (
          <li key={e.clientId} className="notes-pad-editor" data-self={e.self || undefined}>
            <span className="notes-pad-dot" style={{ background: e.colour }} aria-hidden />
            {e.self ? `${e.name} (you)` : e.name}
          </li>
        ))}
      </ul>
      <div className="notes-pad-surface">
        <div className="notes-pad-mirror" ref={mirror} aria-hidden>
          {mirrorContent(state.text, state.editors)}
        </div>
        <textarea
          ref={area}
          data-testid={NOTES_PAD_TEST_IDS.textarea}
          aria-label={label}
          spellCheck
          onInput={onInput}
          onSelect={publishSelection}
          onCompositionStart={() => void (composing.current = true)}
          onCompositionEnd={() => {
            composing.current = false;
            onInput();
          }}
          onBlur={() => doc.setCursor(null)}
        />
      </div>
      <p
        className="notes-pad-status"
        role="status"
        data-testid={NOTES_PAD_TEST_IDS.status}
        data-online={state.online}
        data-synced={state.synced}
      >
        {state.error ?? statusText(state, words)}
      </p>
    </section>
  );
}
