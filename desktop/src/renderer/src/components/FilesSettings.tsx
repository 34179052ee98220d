import { type FormEvent, useEffect, useState } from "react";
import type { FileTransfer } from "@neural-link/shared/app";
import { shortTaskId } from "../../../hub/api";
import { hub } from "../hub-ref";
import { TRANSFER_REFRESH_MS, useFiles } from "../stores/files-store";

const MB = 1_000_000;

function sizeText(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1000)} kB`;
}

/** The landing folder and the size limit (docs/hub.md, "Files"). */
function FilesForm() {
  const { settings, update, saved } = useFiles();
  const [folder, setFolder] = useState(settings?.landingDir ?? "");
  const [limitMb, setLimitMb] = useState(String(Math.round((settings?.maxFileBytes ?? 0) / MB)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void update({ landingDir: folder.trim(), maxFileBytes: Math.max(1, Math.round(Number(limitMb) * MB)) });
  };
  return (
    <form onSubmit={submit} aria-label="Files from phones">
      <label>
        Folder files from phones land in{" "}
        <input
          aria-label="Landing folder"
          type="text"
          required
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          size={48}
        />
      </label>
      <label>
        Largest file, MB{" "}
        <input
          aria-label="Largest file in MB"
          type="number"
          min={1}
          step={1}
          required
          value={limitMb}
          onChange={(e) => setLimitMb(e.target.value)}
        />
      </label>
      <button type="submit">Save file settings</button>
      {saved && <span role="status"> Saved.</span>}
      <p className="muted">
        A file never replaces another: a second “photo.jpg” lands as “photo (1).jpg”. A file a phone sends to another
        folder lands here first; its copy there waits for approval like any other command.
      </p>
    </form>
  );
}

function TransferLine({ t }: { t: FileTransfer }) {
  const pct = t.size > 0 ? Math.floor((t.received / t.size) * 100) : 100;
  const live = t.state === "receiving" || t.state === "sending";
  return (
    <li data-testid="desktop-transfer">
      <strong>{t.name}</strong>{" "}
      <span className="muted">
        {t.direction === "up" ? "from a phone" : "to a phone"}, {sizeText(t.size)}
      </span>{" "}
      {live && <progress max={100} value={pct} aria-label={`${t.name}: ${pct}%`} />}
      {t.state === "done" && <span>{t.direction === "up" ? `saved as ${t.path ?? t.name}` : "sent"}</span>}
      {t.state === "failed" && <strong>Not kept: {t.error}</strong>}
      {t.state === "cancelled" && <span className="muted">cancelled</span>}
      {t.task && <span className="muted"> (copy waits for approval: task {shortTaskId(t.task)})</span>}
    </li>
  );
}

/** Recent transfers of every device, refreshed on each change and while one is under way. */
function RecentTransfers() {
  const { transfers, loadTransfers } = useFiles();
  const live = transfers.some((t) => t.state === "receiving" || t.state === "sending");
  useEffect(() => hub().on("file.transfer", () => void loadTransfers()), [loadTransfers]);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void loadTransfers(), TRANSFER_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, loadTransfers]);
  if (transfers.length === 0) return <p className="muted">No files yet.</p>;
  return (
    <ul aria-label="Recent file transfers">
      {transfers.map((t) => (
        <TransferLine key={t.xfer} t={t} />
      ))}
    </ul>
  );
}

/** Settings' "Files from phones" part. */
export function FilesSettings() {
  const { settings, load } = useFiles();
  useEffect(() => {
    void load();
  }, [load]);
  if (!settings) return <p>Loading file settings…</p>;
  return (
    <>
      <FilesForm key={`${settings.landingDir}:${settings.maxFileBytes}`} />
      <h3>Recent transfers</h3>
      <RecentTransfers />
    </>
  );
}
