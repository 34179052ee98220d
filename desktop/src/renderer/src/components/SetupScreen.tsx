import { useState, type FormEvent } from "react";
import { useStatus } from "../stores/status-store";

/** First run: name this hub and choose its relay. */
export function SetupScreen() {
  const setup = useStatus((s) => s.setup);
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"embedded" | "url">("embedded");
  const [url, setUrl] = useState("wss://");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    await setup({ name: name.trim(), relay: mode === "embedded" ? { mode } : { mode, url: url.trim() } });
    setBusy(false);
  };

  return (
    <main className="setup">
      <h1>Welcome to Neural Link</h1>
      <p>This desktop becomes your personal hub. Your phone will be its remote control.</p>
      <form onSubmit={(e) => void submit(e)} aria-label="First-run setup">
        <label htmlFor="setup-name">Name of this desktop</label>
        <input
          id="setup-name"
          required
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
        />
        <fieldset>
          <legend>Relay</legend>
          <label>
            <input type="radio" name="relay" checked={mode === "embedded"} onChange={() => setMode("embedded")} />{" "}
            Embedded (run a relay inside this hub)
          </label>
          <label>
            <input type="radio" name="relay" checked={mode === "url"} onChange={() => setMode("url")} /> A relay at this
            URL
          </label>
          {mode === "url" && (
            <>
              <label htmlFor="setup-url">Relay WebSocket URL</label>
              <input
                id="setup-url"
                type="url"
                required
                pattern="wss?://.+"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            </>
          )}
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          Start the hub
        </button>
      </form>
    </main>
  );
}
