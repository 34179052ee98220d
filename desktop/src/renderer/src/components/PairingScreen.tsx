import { useEffect, useState } from "react";
import { usePairing } from "../stores/pairing-store";
import { useStatus } from "../stores/status-store";
import { QrCode } from "./QrCode";

/** How often the countdown redraws. */
const COUNTDOWN_TICK_MS = 1000;

function useSecondsLeft(expiresAt: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (expiresAt === undefined) return;
    const t = setInterval(() => setNow(Date.now()), COUNTDOWN_TICK_MS);
    return () => clearInterval(t);
  }, [expiresAt]);
  return expiresAt === undefined ? 0 : Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

/** Shows the pairing QR code, its text for copying, and how long it stays valid. */
export function PairingScreen() {
  const { invite, last, start, cancel } = usePairing();
  const appUrl = useStatus((s) => s.status?.phoneAppUrl ?? null);
  const left = useSecondsLeft(invite?.expiresAt);
  const [copied, setCopied] = useState(false);
  const expired = invite !== null && left === 0;

  const copy = async () => {
    if (!invite) return;
    try {
      await navigator.clipboard.writeText(invite.uri);
      setCopied(true);
    } catch {
      // Clipboard refused (no permission): the text field stays selectable by hand.
      setCopied(false);
    }
  };

  return (
    <section aria-labelledby="pair-h">
      <h1 id="pair-h">Pair a phone</h1>
      {appUrl ? (
        <p>
          On the phone, open the app at{" "}
          <a href={appUrl} target="_blank" rel="noreferrer" data-testid="phone-app-url">
            {appUrl}
          </a>{" "}
          and choose <strong>Pair a desktop</strong>.
        </p>
      ) : (
        <p className="muted">
          This hub does not serve the phone app (it uses a remote relay): open the app where that relay serves it.
        </p>
      )}
      {last && (
        <p role="status" className={last.accepted ? "ok" : "warn"}>
          {last.accepted
            ? `Paired with ${last.device?.name ?? "the phone"}.`
            : `Pairing not completed: ${last.reason ?? "refused"}.`}
        </p>
      )}
      {!invite ? (
        <>
          <p>Scan a code with the Neural Link app on your phone to pair it with this desktop.</p>
          <button type="button" className="primary" onClick={() => void start()}>
            Show pairing code
          </button>
        </>
      ) : (
        <div className="pairing">
          <QrCode text={invite.uri} label="Pairing QR code" />
          <div>
            <p aria-live="polite" data-testid="countdown">
              {expired
                ? "This code has expired."
                : `Valid for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`}
            </p>
            <label htmlFor="pair-uri">Pairing link (to type or paste on the phone)</label>
            <textarea id="pair-uri" readOnly rows={4} value={invite.uri} onFocus={(e) => e.currentTarget.select()} />
            <div className="actions">
              <button type="button" onClick={() => void copy()}>
                {copied ? "Copied" : "Copy link"}
              </button>
              <button type="button" onClick={() => void start()}>
                New code
              </button>
              <button type="button" onClick={() => void cancel()}>
                Stop pairing
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
