import {
  applyTextValue,
  colourFor,
  DocSyncError,
  type Editor,
  listEditors,
  notesText,
  setLocalCursor,
  type TextChange,
} from "@neural-link/shared/sync";
import type * as Y from "yjs";
import type { LiveDoc } from "./live-doc";

/** Transaction origin of edits made at this desktop. */
export const LOCAL_ORIGIN = Symbol("desktop");

/** A change of the text, and whether it was made here. */
export interface PadChange {
  text: string;
  local: boolean;
}

/**
 * The desktop's own editing API for one document: read and edit its text as
 * Y.Text operations, follow changes from anywhere, and show up (name, colour,
 * cursor) to the phones while the pad is open. Survives a document reload.
 */
export class LocalPad {
  private readonly changeListeners = new Set<(c: PadChange) => void>();
  private readonly editorListeners = new Set<(editors: Editor[]) => void>();
  private readonly offReplaced: () => void;
  private detach: () => void = () => {};
  private present = false;

  constructor(
    private readonly live: LiveDoc,
    private readonly user: { name: string; colour?: string },
  ) {
    this.attach();
    this.offReplaced = live.onReplaced(() => {
      this.detach();
      this.attach();
      if (this.present) this.open();
      this.emitChange(false);
    });
  }

  get name(): string {
    return this.live.name;
  }

  /** The Y.Doc itself, for structured documents (`drafts`: see `readDrafts`, `addDraft`). */
  get doc(): Y.Doc {
    return this.live.doc;
  }

  text(): string {
    return this.textType().toString();
  }

  /** Replaces the text with `value` by the smallest single change (what a textarea sends). */
  setText(value: string): TextChange | null {
    return applyTextValue(this.textType(), value, LOCAL_ORIGIN);
  }

  /** Deletes `remove` characters at `index`, then inserts `insert` there, as one transaction. */
  edit(change: TextChange): void {
    const text = this.textType();
    const { index, remove, insert } = change;
    if (
      !Number.isInteger(index) ||
      !Number.isInteger(remove) ||
      index < 0 ||
      remove < 0 ||
      index + remove > text.length
    ) {
      throw new DocSyncError("bad_message", "edit out of the text's range");
    }
    this.live.doc.transact(() => {
      if (remove > 0) text.delete(index, remove);
      if (insert.length > 0) text.insert(index, insert);
    }, LOCAL_ORIGIN);
  }

  onChange(listener: (c: PadChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Shows this desktop's person as an editor of the document (until `leave`). */
  open(): void {
    this.present = true;
    this.live.awareness.setLocalState({
      user: { name: this.user.name, colour: this.user.colour ?? colourFor("desktop"), device: "desktop" },
      cursor: null,
    });
  }

  setCursor(sel: { anchor: number; head: number } | null): void {
    if (!this.present) this.open();
    setLocalCursor(this.live.awareness, this.textType(), sel);
  }

  leave(): void {
    this.present = false;
    this.live.awareness.setLocalState(null);
  }

  editors(): Editor[] {
    return listEditors(this.live.awareness, this.textType());
  }

  onEditors(listener: (editors: Editor[]) => void): () => void {
    this.editorListeners.add(listener);
    return () => this.editorListeners.delete(listener);
  }

  dispose(): void {
    this.detach();
    this.offReplaced();
    this.changeListeners.clear();
    this.editorListeners.clear();
  }

  private textType(): Y.Text {
    return notesText(this.live.doc);
  }

  private attach(): void {
    const text = this.textType();
    const awareness = this.live.awareness;
    const onAwareness = () => {
      const editors = this.editors();
      for (const l of [...this.editorListeners]) l(editors);
    };
    // Cursors are resolved to indexes, which move when the text changes.
    const onText = (event: Y.YTextEvent) => {
      this.emitChange(event.transaction.origin === LOCAL_ORIGIN);
      if (this.editorListeners.size > 0) onAwareness();
    };
    text.observe(onText);
    awareness.on("change", onAwareness);
    this.detach = () => {
      text.unobserve(onText);
      awareness.off("change", onAwareness);
    };
  }

  private emitChange(local: boolean): void {
    const text = this.text();
    for (const l of [...this.changeListeners]) l({ text, local });
  }
}
