import { useState, type FormEvent } from "react";
import type { DeviceInfo, WorkspaceGrant } from "../../../hub/api";
import { useGrants } from "../stores/grants-store";

const NO_GRANTS: WorkspaceGrant[] = [];

/**
 * The folders a device's sandboxed commands may change (workspace grants,
 * docs/risk-policy.md): add one by its path, see them, remove one at once.
 * Only this desktop can grant; a phone has no way to ask for it. DeviceRow
 * loads the list (it shows the count while this stays folded).
 */
export function WorkspaceGrants({ device }: { device: DeviceInfo }) {
  const grants = useGrants((s) => s.byDevice[device.id] ?? NO_GRANTS);
  const { grant, revoke } = useGrants();
  const [path, setPath] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = `grant-${device.id.slice(0, 8)}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const refused = await grant(device.id, path);
    setBusy(false);
    setError(refused);
    if (refused === null) setPath("");
  };

  return (
    <section className="workspace" aria-label={`Writable folders for ${device.name}`}>
      <p className="muted">
        Commands from {device.name} that run in the sandbox may change files in these folders, still without network.
        Everything else stays read-only.
      </p>
      {grants.length === 0 ? (
        <p className="muted">No writable folders: its sandboxed commands can change nothing.</p>
      ) : (
        <ul className="grants" aria-label={`Folders ${device.name} may change`}>
          {grants.map((g) => (
            <li key={g.path}>
              <code>{g.path}</code>
              <span className="muted">since {new Date(g.grantedAt).toLocaleDateString()}</span>
              <button type="button" onClick={() => void revoke(device.id, g.path)} aria-label={`Remove ${g.path}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="grant-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={inputId} className="sr-only">
          Folder to make writable for {device.name}
        </label>
        <input
          id={inputId}
          value={path}
          placeholder="/home/you/projects/site"
          spellCheck={false}
          required
          onChange={(e) => {
            setPath(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" disabled={busy}>
          Make writable
        </button>
      </form>
      {error && (
        <p role="alert" className="warn">
          {error}
        </p>
      )}
    </section>
  );
}
