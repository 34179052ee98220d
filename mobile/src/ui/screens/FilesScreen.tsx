import { type ChangeEvent, useEffect, useRef } from "react";
import { useStore } from "zustand";
import type { FileEntry } from "@neural-link/shared/app";
import { filesStoreFor, type Transfer } from "../../files/files-store";
import type { Session } from "../../stores/session";
import { useAppStores } from "../app-context";
import { useLink } from "../use-link";
import { NoDesktop } from "./NoDesktop";
import "./files-screen.css";

/** Send photos and files to the desktop; browse the desktop's folders and fetch files from it. */
export function FilesScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <Files session={session} />;
}

const units = ["bytes", "KB", "MB", "GB"];
export function formatBytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function TransferRow({ t, onCancel }: { t: Transfer; onCancel: () => void }) {
  const pct = t.size > 0 ? Math.floor((t.done / t.size) * 100) : t.state === "done" ? 100 : 0;
  const verb = t.direction === "up" ? "Sending" : "Fetching";
  return (
    <li className={`transfer transfer-${t.state}`} data-testid="transfer">
      <div className="transfer-head">
        <span className="transfer-name">{t.name}</span>
        <span className="transfer-size">{t.size > 0 ? formatBytes(t.size) : ""}</span>
      </div>
      <progress max={100} value={pct} aria-label={`${verb} ${t.name}`} />
      <p className="transfer-state" aria-live="polite">
        {t.state === "sending" && `${verb}… ${pct}% (${formatBytes(t.done)} of ${formatBytes(t.size)})`}
        {t.state === "waiting" && "Asking the desktop…"}
        {t.state === "failed" && <span className="error-text">Not done: {t.error}</span>}
        {t.state === "cancelled" && (t.direction === "up" ? "Cancelled; the desktop keeps nothing of it" : "Cancelled")}
        {t.state === "done" && t.direction === "up" && (
          <>
            Saved on the desktop as {t.savedAs}
            {t.task ? "; the copy to the folder you chose waits for approval (see Tasks)" : ""}
          </>
        )}
        {t.state === "done" && t.direction === "down" && t.url && (
          <a href={t.url} download={t.name} className="button-link">
            Save {t.name} to this phone
          </a>
        )}
      </p>
      {(t.state === "sending" || t.state === "waiting") && (
        <button type="button" className="transfer-cancel" onClick={onCancel} aria-label={`Cancel ${t.name}`}>
          Cancel
        </button>
      )}
    </li>
  );
}

function Breadcrumbs({ path, onOpen }: { path: string; onOpen: (p: string) => void }) {
  const parts = path.split("/").filter(Boolean);
  return (
    <nav className="breadcrumbs" aria-label="Folder">
      <button type="button" onClick={() => onOpen("/")}>
        /
      </button>
      {parts.map((p, i) => (
        <button
          key={i}
          type="button"
          onClick={() => onOpen(`/${parts.slice(0, i + 1).join("/")}`)}
          aria-current={i === parts.length - 1 ? "location" : undefined}
        >
          {p}
        </button>
      ))}
    </nav>
  );
}

function Entry({
  e,
  dir,
  onOpen,
  onFetch,
  blocked,
}: {
  e: FileEntry;
  dir: string;
  onOpen: (p: string) => void;
  onFetch: (p: string) => void;
  blocked: boolean;
}) {
  const full = `${dir === "/" ? "" : dir}/${e.name}`;
  if (e.kind === "dir") {
    return (
      <li>
        <button type="button" className="entry entry-dir" onClick={() => onOpen(full)}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M3 6h7l2 2h9v11H3z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
          </svg>
          <span className="entry-name">{e.name}</span>
        </button>
      </li>
    );
  }
  if (e.kind !== "file") return <li className="entry entry-other">{e.name}</li>;
  return (
    <li>
      <button
        type="button"
        className="entry entry-file"
        disabled={blocked}
        onClick={() => onFetch(full)}
        aria-label={`Fetch ${e.name}`}
      >
        <span className="entry-name">{e.name}</span>
        <span className="entry-size">{e.size !== undefined ? formatBytes(e.size) : ""}</span>
      </button>
    </li>
  );
}

function Files({ session }: { session: Session }) {
  const files = filesStoreFor(session.link);
  const state = useStore(files);
  const { blocker } = useLink(session);
  const photos = useRef<HTMLInputElement>(null);
  const any = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Once: a failure is shown with "Try again" rather than asked again in a loop.
    if (!state.folder && !state.browsing && !state.browseError && blocker === null) void files.getState().browse();
  }, [blocker, files, state.folder, state.browsing, state.browseError]);
  const picked = (e: ChangeEvent<HTMLInputElement>) => {
    const list = [...(e.target.files ?? [])];
    e.target.value = "";
    if (list.length) void files.getState().send(list);
  };
  const open = (p: string) => void files.getState().browse(p);
  return (
    <div className="files">
      <section aria-labelledby="send-title">
        <h2 id="send-title">Send to the desktop</h2>
        <div className="row">
          <button type="button" onClick={() => photos.current?.click()} disabled={blocker !== null}>
            Photos
          </button>
          <button type="button" onClick={() => any.current?.click()} disabled={blocker !== null}>
            Any file
          </button>
        </div>
        <input
          ref={photos}
          type="file"
          accept="image/*,video/*"
          multiple
          hidden
          onChange={picked}
          data-testid="pick-photos"
        />
        <input ref={any} type="file" multiple hidden onChange={picked} data-testid="pick-file" />
        {blocker && <p className="hint">{blocker}</p>}
        <p className="hint">
          Files land in {state.folder?.landing ?? "the desktop's landing folder"}; nothing is replaced.
        </p>
      </section>
      {state.transfers.length > 0 && (
        <section aria-labelledby="transfers-title">
          <h2 id="transfers-title">Transfers</h2>
          <ul className="transfers">
            {state.transfers.map((t) => (
              <TransferRow key={t.id} t={t} onCancel={() => files.getState().cancel(t.id)} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="browse-title">
        <h2 id="browse-title">On the desktop</h2>
        {state.folder && (
          <>
            <Breadcrumbs path={state.folder.path} onOpen={open} />
            <div className="row">
              {state.folder.parent && (
                <button type="button" onClick={() => open(state.folder!.parent!)}>
                  Up
                </button>
              )}
              <button type="button" onClick={() => open(state.folder!.home)}>
                Home
              </button>
              <button type="button" onClick={() => open(state.folder!.landing)}>
                Received
              </button>
            </div>
          </>
        )}
        {state.browseError && (
          <div className="row" role="alert">
            <p className="error-text">{state.browseError}</p>
            <button type="button" onClick={() => void files.getState().browse(state.folder?.path)}>
              Try again
            </button>
          </div>
        )}
        {state.browsing && <p role="status">Loading…</p>}
        {state.folder && (
          <ul className="entries" aria-label="Files in this folder">
            {state.folder.entries.length === 0 && <li className="hint">This folder is empty.</li>}
            {state.folder.entries.map((e) => (
              <Entry
                key={e.name}
                e={e}
                dir={state.folder!.path}
                onOpen={open}
                onFetch={(p) => void files.getState().fetch(p)}
                blocked={blocker !== null}
              />
            ))}
            {state.folder.more && <li className="hint">More entries are not shown.</li>}
          </ul>
        )}
      </section>
    </div>
  );
}
