import { createStore, type StoreApi } from "zustand/vanilla";
import type { FileEntry } from "@neural-link/shared/app";
import { ChecksumMismatchError, downloadFile, type FilePort, uploadFile } from "@neural-link/shared/files";
import { describeError } from "../stores/errors";
import { FILES_SETTINGS } from "./files-settings";

/** One file on its way, either direction. */
export interface Transfer {
  /** Local key (the hub's transfer id once known). */
  id: string;
  direction: "up" | "down";
  name: string;
  size: number;
  /** Bytes the receiver confirmed (up) or holds (down). */
  done: number;
  state: "sending" | "done" | "failed" | "waiting";
  /** What went wrong, in words. */
  error?: string;
  /** Up: the name it got on the desktop and where. Down: a blob: URL to save it from. */
  savedAs?: string;
  url?: string;
  /** Up, to a folder outside the landing folder: the approval task its copy waits for. */
  task?: string;
}

export interface FolderView {
  path: string;
  parent?: string;
  home: string;
  landing: string;
  entries: FileEntry[];
  more?: boolean;
}

export interface FilesState {
  transfers: Transfer[];
  folder: FolderView | null;
  browsing: boolean;
  browseError: string | null;
  send(files: readonly File[]): Promise<void>;
  browse(path?: string): Promise<void>;
  fetch(path: string): Promise<void>;
}

/** A File as the shared upload wants it: random access by slice. */
const source = (f: File) => ({
  name: f.name,
  size: f.size,
  read: async (offset: number, length: number) => new Uint8Array(await f.slice(offset, offset + length).arrayBuffer()),
});

let localIds = 0;

/**
 * The Files screen's state for one desktop: uploads and downloads with their
 * progress, and the folder being browsed. Transfers live here, not in the
 * screen, so leaving the tab does not stop them; a dropped link only stalls
 * them (the shared drivers resume from the hub's offset).
 */
export function createFilesStore(link: FilePort): StoreApi<FilesState> {
  const store = createStore<FilesState>()((set, get) => {
    const patch = (id: string, p: Partial<Transfer>) =>
      set({ transfers: get().transfers.map((t) => (t.id === id ? { ...t, ...p } : t)) });
    const add = (t: Transfer) => set({ transfers: [t, ...get().transfers].slice(0, FILES_SETTINGS.transfersShown) });
    const sendOne = async (file: File) => {
      const id = `local-${++localIds}`;
      add({ id, direction: "up", name: file.name, size: file.size, done: 0, state: "sending" });
      let lastDraw = 0;
      try {
        const t = await uploadFile(link, source(file), {
          onProgress: (sent) => {
            // Redraw at most every progressRedrawMs: a 100 MB file is hundreds of acks.
            const now = Date.now();
            if (sent < file.size && now - lastDraw < FILES_SETTINGS.progressRedrawMs) return;
            lastDraw = now;
            patch(id, { done: sent });
          },
        });
        if (t.state === "done")
          patch(id, { state: "done", done: t.size, savedAs: t.path ?? t.name, ...(t.task ? { task: t.task } : {}) });
        else patch(id, { state: "failed", error: t.error ?? `The desktop ended the transfer (${t.state}).` });
      } catch (err) {
        patch(id, { state: "failed", error: describeError(err) });
      }
    };
    return {
      transfers: [],
      folder: null,
      browsing: false,
      browseError: null,
      async send(files) {
        // One at a time: each already fills the link's window.
        for (const f of files) await sendOne(f);
      },
      async browse(path) {
        set({ browsing: true, browseError: null });
        try {
          const r = await link.call("files.list", path ? { path } : {});
          set({
            folder: {
              path: r.path,
              home: r.home,
              landing: r.landing,
              entries: r.entries,
              ...(r.parent ? { parent: r.parent } : {}),
              ...(r.more ? { more: true } : {}),
            },
            browsing: false,
          });
        } catch (err) {
          set({ browsing: false, browseError: describeError(err) });
        }
      },
      async fetch(path) {
        const id = `local-${++localIds}`;
        const name = path.split("/").pop() ?? path;
        add({ id, direction: "down", name, size: 0, done: 0, state: "waiting" });
        let lastDraw = 0;
        try {
          const { transfer, parts } = await downloadFile(link, path, {
            onStart: (t) => patch(id, { size: t.size, state: "sending" }),
            onProgress: (received, size) => {
              const now = Date.now();
              if (received < size && now - lastDraw < FILES_SETTINGS.progressRedrawMs) return;
              lastDraw = now;
              patch(id, { done: received });
            },
          });
          const url = URL.createObjectURL(new Blob(parts as BlobPart[]));
          patch(id, { state: "done", done: transfer.size, url });
        } catch (err) {
          patch(id, {
            state: "failed",
            error: err instanceof ChecksumMismatchError ? err.message : describeError(err),
          });
        }
      },
    };
  });
  return store;
}

const stores = new WeakMap<FilePort, StoreApi<FilesState>>();

/** The files store of a session's link (made on first use, kept as long as the link). */
export function filesStoreFor(link: FilePort): StoreApi<FilesState> {
  let s = stores.get(link);
  if (!s) {
    s = createFilesStore(link);
    stores.set(link, s);
  }
  return s;
}
