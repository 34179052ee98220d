import "./ui/styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { standardSocketFactory } from "@neural-link/shared/client";
import { createGatewayLink } from "./connection/gateway-link";
import { phoneName } from "./device-name";
import { kvSeenIds } from "./connection/kv-seen-ids";
import { createGatewayPairing } from "./pairing/gateway-pairing";
import { MOBILE_SETTINGS } from "./settings";
import { idbKeyValue } from "./storage/kv";
import { createAppStore } from "./stores/app-store";
import { createPairingStore } from "./stores/pairing-store";
import pkg from "../package.json";
import { App } from "./ui/App";
import { AppContext } from "./ui/app-context";
import { ErrorBoundary } from "./ui/ErrorBoundary";
import { registerServiceWorker } from "./register-sw";
import { installPush } from "./push/install-push";
import { pushSettings } from "./push/push-singleton";
import { logFailure } from "@neural-link/ui/log";

// Wiring only: every part below is built and tested on its own.
const kv = idbKeyValue();
const seen = kvSeenIds(kv);
const socketFactory = standardSocketFactory(WebSocket);
const client = { name: "neural-link-mobile", version: pkg.version };
const name = phoneName(navigator.userAgent);

// A relay id not stored is asked for again at the next first READY: the pairing keeps working.
const relayTrusted = (device: string, relayId: string) =>
  void app
    .getState()
    .relayTrusted(device, relayId)
    .catch(logFailure("could not store the relay id with the pairing", { device }));
const app = createAppStore({
  kv,
  linkFor: (pairing, identity) => createGatewayLink(pairing, identity, { socketFactory, seen, client, relayTrusted }),
});
const pairing = createPairingStore(
  async () => {
    const identity = app.getState().identity;
    if (!identity) throw new Error("The app has not finished starting.");
    return {
      identity,
      phoneName: name,
      now: Date.now,
      answerTimeoutMs: MOBILE_SETTINGS.pairAnswerTimeoutMs,
      gatewayFor: (relay) =>
        createGatewayPairing(relay, identity, {
          socketFactory,
          seen,
          client,
          connectTimeoutMs: MOBILE_SETTINGS.pairConnectTimeoutMs,
        }),
    };
  },
  {
    starting: () => app.getState().pauseSession(),
    paired: (paired) => app.getState().addPairing(paired),
    ended: () => void app.getState().resumeSession(),
  },
);

void app.getState().init();
// Forget frame ids whose expiry has passed. Best effort: if it fails, the
// entries are only dead weight, and the next start tries again.
// Which frame ids are stored, read once: the check before each received frame is shown then reads no storage.
seen
  .warm()
  .then(() => seen.sweep())
  .catch(logFailure("could not read or sweep the stored frame ids", {}, "debug"));
registerServiceWorker();
// Notifications: routes they open, taps and their Approve / Reject, visibility for the hub (push/).
installPush(app, pushSettings);

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary area="the app">
      <AppContext.Provider value={{ app, pairing, kv, phoneName: name }}>
        <App />
      </AppContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);
