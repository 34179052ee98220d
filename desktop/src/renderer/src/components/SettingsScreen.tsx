import { useEffect, useState, type FormEvent } from "react";
import type { ApprovalsPolicy } from "../../../hub/api";
import { overrideCount } from "@neural-link/shared/policy";
import { useDevices } from "../stores/devices-store";
import { useSettings } from "../stores/settings-store";
import { useUi, type ThemeChoice } from "../stores/ui-store";
import { FilesSettings } from "./FilesSettings";
import { RiskPolicyEditor } from "./RiskPolicyEditor";
import { SandboxStatus } from "./SandboxStatus";

const APPROVAL_LABELS: Record<ApprovalsPolicy, string> = {
  both: "The device that asked, and this desktop",
  phone: "The device that asked",
  desktop: "This desktop",
};

function RelayForm() {
  const { settings, update } = useSettings();
  const [mode, setMode] = useState<"embedded" | "url">(settings?.relay.mode ?? "embedded");
  const [url, setUrl] = useState(settings?.relay.mode === "url" ? settings.relay.url : "wss://");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void update({ relay: mode === "embedded" ? { mode } : { mode, url: url.trim() } });
  };
  return (
    <form onSubmit={submit} aria-label="Relay">
      <fieldset>
        <legend>Relay</legend>
        <label>
          <input type="radio" name="s-relay" checked={mode === "embedded"} onChange={() => setMode("embedded")} />{" "}
          Embedded
        </label>
        <label>
          <input type="radio" name="s-relay" checked={mode === "url"} onChange={() => setMode("url")} /> URL
        </label>
        {mode === "url" && (
          <input
            aria-label="Relay WebSocket URL"
            type="url"
            required
            pattern="wss?://.+"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        )}
        <button type="submit">Save relay</button>
      </fieldset>
    </form>
  );
}

export function SettingsScreen() {
  const { settings, saved, load, update } = useSettings();
  const devices = useDevices((s) => s.devices);
  const { theme, setTheme } = useUi();
  useEffect(() => {
    void load();
    void useDevices.getState().load();
  }, [load]);
  if (!settings) return <p>Loading settings…</p>;
  return (
    <section aria-labelledby="settings-h" className="settings">
      <h1 id="settings-h">Settings</h1>
      {saved && <p role="status">Saved.</p>}
      <h2>Sandbox</h2>
      <SandboxStatus />
      <p className="muted">
        Low-risk commands from a device run at once inside the sandbox: the disk read-only (except folders granted on
        the Devices page), no network, a private /tmp. Everything else asks first.
      </p>
      <label>
        Who approves high-risk commands{" "}
        <select
          value={settings.approvals}
          onChange={(e) => void update({ approvals: e.target.value as ApprovalsPolicy })}
        >
          {(Object.keys(APPROVAL_LABELS) as ApprovalsPolicy[]).map((p) => (
            <option key={p} value={p}>
              {APPROVAL_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <h2>Risk policy per device</h2>
      {devices.length === 0 ? (
        <p className="muted">No paired devices.</p>
      ) : (
        <ul>
          {devices.map((d) => (
            <li key={d.id}>
              <details>
                <summary>
                  {d.name}:{" "}
                  {overrideCount(d.policy) === 0 ? "built-in rules only" : `${overrideCount(d.policy)} override(s)`}
                </summary>
                <RiskPolicyEditor key={JSON.stringify(d.policy)} device={d} />
              </details>
            </li>
          ))}
        </ul>
      )}
      <h2>Files from phones</h2>
      <FilesSettings />
      <RelayForm key={JSON.stringify(settings.relay)} />
      <label>
        Theme{" "}
        <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </section>
  );
}
