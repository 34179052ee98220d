import { usePairing } from "../stores/pairing-store";
import { Dialog } from "./Dialog";

/** Shows a phone's pair request: its name and the six-digit code to compare. */
export function SasDialog() {
  const request = usePairing((s) => s.request);
  const answer = usePairing((s) => s.answer);
  if (!request) return null;
  return (
    <Dialog title="Pair this phone?" onCancel={() => void answer(false)} initialFocus="sas-reject">
      <p>
        <strong>{request.deviceName}</strong> ({request.kind}) asks to pair with this desktop.
      </p>
      <p>Check that the phone shows the same code:</p>
      <p className="sas" aria-label={`Code ${request.sas.split("").join(" ")}`} data-testid="sas">
        {request.sas.slice(0, 3)} {request.sas.slice(3)}
      </p>
      <div className="actions">
        <button id="sas-reject" type="button" onClick={() => void answer(false)}>
          Reject
        </button>
        <button type="button" className="primary" onClick={() => void answer(true)}>
          Accept
        </button>
      </div>
    </Dialog>
  );
}
