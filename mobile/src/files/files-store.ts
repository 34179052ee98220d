import { createStore, type StoreApi } from "zustand/vanilla";
import type { FileEntry } from "@neural-link/shared/app";
import {
  ChecksumMismatchError,
  downloadFile,
  type FilePort,
  newXferId,
  TransferCancelled,
  uploadFile,
} from "@neural-link/shared/files";
import { DownloadKeeper } from "./download-keeper";
import type { HeldDownload, PendingDownloads } from "./pending-downloads";
import type { PendingUploads } from "./pending-uploads";
import { browserLog } from "@neural-link/ui/log";
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
  state: "sending" | "done" | "failed" | "waiting" | "cancelled";
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
  /** Stops a transfer on its way; an upload's part is deleted on the desktop. */
  cancel(id: string): void;
  /**
   * Goes on with the transfers an earlier page left unfinished: uploads (kept in `pending`) from the desktop's
   * offsets, downloads (kept in `downloads`) from the bytes kept.
   */
  resume(): Promise<void>;
}

/** Where unfinished transfers are kept, and for which desktop; without it a transfer ends with the page. */
export interface ResumeStore {
  pending: PendingUploads;
  downloads: PendingDownloads;
  hub: string;
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
export function createFilesStore(link: FilePort, resumable?: ResumeStore): StoreApi<FilesState> {
  const store = createStore<FilesState>()((set, get) => {
    const patch = (id: string, p: Partial<Transfer>) =>
      set({ transfers: get().transfers.map((t) => (t.id === id ? { ...t, ...p } : t)) });
    const add = (t: Transfer) => set({ transfers: [t, ...get().transfers].slice(0, FILES_SETTINGS.transfersShown) });
    /** The cancel switch of each transfer on its way, by local id. */
    const running = new Map<string, AbortController>();
    const begin = (t: Transfer): AbortSignal => {
      const controller = new AbortController();
      running.set(t.id, controller);
      add(t);
      return controller.signal;
    };
    const ended = (id: string, err: unknown) =>
      patch(
        id,
        err instanceof TransferCancelled
          ? { state: "cancelled" }
          : { state: "failed", error: err instanceof ChecksumMismatchError ? err.message : describeError(err) },
      );
    /** Kept for a later page until it ends, whichever way; a failure to keep it only costs the resume. */
    const keep = async (file: File, xfer: string): Promise<boolean> => {
      if (!resumable || file.size > FILES_SETTINGS.resumableUploadMaxBytes) return false;
      return resumable.pending.save({ xfer, hub: resumable.hub, file, startedAt: Date.now() }).then(
        () => true,
        (err: unknown) => (browserLog.warn({ err: String(err) }, "upload not kept for a resume"), false),
      );
    };
    const sendOne = async (file: File, resumeXfer?: string) => {
      const id = `local-${++localIds}`;
      const xfer = resumeXfer ?? newXferId();
      // The row first: copying a large file into IndexedDB can take a moment.
      const signal = begin({ id, direction: "up", name: file.name, size: file.size, done: 0, state: "sending" });
      const kept = resumeXfer !== undefined || (await keep(file, xfer));
      let lastDraw = 0;
      try {
        const t = await uploadFile(link, source(file), {
          xfer,
          signal,
          onProgress: (sent) => {
            // Redraw at most every progressRedrawMs: a 100 MB file is hundreds of acks.
            const now = Date.now();
            if (sent < file.size && now - lastDraw < FILES_SETTINGS.progressRedrawMs) return;
            lastDraw = now;
            patch(id, { done: sent });
          },
        });
        if (t.state === "done") {
          patch(id, { state: "done", done: t.size, savedAs: t.path ?? t.name, ...(t.task ? { task: t.task } : {}) });
          // The folder on screen is where it landed: list it again, so the new file shows.
          const shown = get().folder?.path;
          if (t.path && shown !== undefined && t.path.slice(0, t.path.lastIndexOf("/")) === shown)
            void get().browse(shown);
        } else patch(id, { state: "failed", error: t.error ?? `The desktop ended the transfer (${t.state}).` });
      } catch (err) {
        ended(id, err);
      } finally {
        running.delete(id);
        if (kept && resumable)
          await resumable.pending
            .remove(resumable.hub, xfer)
            .catch((err: unknown) => browserLog.warn({ err: String(err) }, "finished upload not forgotten"));
      }
    };
    const fetchOne = async (path: string, resumed?: HeldDownload) => {
      const id = `local-${++localIds}`;
      const name = path.split("/").pop() ?? path;
      // A resumed download shows what it holds from the start, not a bar back at zero.
      const signal = begin({
        id,
        direction: "down",
        name,
        size: resumed?.download.size ?? 0,
        done: resumed?.bytes ?? 0,
        state: "waiting",
      });
      const xfer = resumed?.download.xfer ?? newXferId();
      const kept = resumable ? new DownloadKeeper(resumable.downloads, resumable.hub, xfer) : undefined;
      let lastDraw = 0;
      try {
        const held = resumed
          ? await Promise.all(resumed.held.map(async (b) => new Uint8Array(await b.arrayBuffer())))
          : undefined;
        const { transfer, parts } = await downloadFile(link, path, {
          xfer,
          signal,
          ...(held && resumed ? { resume: { held, sha256: resumed.download.sha256 } } : {}),
          onStart: (t) => {
            patch(id, { size: t.size, done: t.received, state: "sending" });
            // Without the hub's sum a later page could not tell the same file from a changed one: not kept.
            if (t.sha256)
              kept?.start({ path, name, size: t.size, sha256: t.sha256, startedAt: Date.now() }, t.received);
          },
          onData: (offset, data) => kept?.add(offset, data),
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
        ended(id, err);
      } finally {
        running.delete(id);
        await kept?.end();
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
      fetch: (path) => fetchOne(path),
      cancel(id) {
        running.get(id)?.abort();
      },
      async resume() {
        if (!resumable) return;
        for (const p of await resumable.pending.list(resumable.hub)) await sendOne(p.file, p.xfer);
        for (const d of await resumable.downloads.list(resumable.hub)) await fetchOne(d.download.path, d);
      },
    };
  });
  return store;
}

const stores = new WeakMap<FilePort, StoreApi<FilesState>>();

/**
 * The files store of a session's link (made on first use, kept as long as the link). The session makes it
 * first, with `resumable`, and resumes what an earlier page left unfinished.
 */
export function filesStoreFor(link: FilePort, resumable?: ResumeStore): StoreApi<FilesState> {
  let s = stores.get(link);
  if (!s) {
    s = createFilesStore(link, resumable);
    stores.set(link, s);
  }
  return s;
}
