import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App";
import { setHub } from "./hub-ref";
import { useUi } from "./stores/ui-store";
import { pickTransport } from "./transport/pick-transport";
import { wireEvents } from "./wire-events";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);
const transport = pickTransport((state) => {
  const ui = useUi.getState();
  switch (state.kind) {
    case "open":
      ui.setConnected(state.reconnected);
      break;
    case "reconnecting":
      ui.setDisconnected(
        `${state.reason}. Reconnecting (attempt ${state.attempt}, next in ${Math.ceil(state.retryInMs / 1000)} s)…`,
      );
      break;
    case "refused":
      ui.setDisconnected(state.reason);
      break;
    default: {
      const never: never = state;
      throw new Error(`unknown bridge state ${JSON.stringify(never)}`);
    }
  }
});
if (transport.kind === "none") {
  useUi.getState().setDisconnected(transport.reason);
  root.render(
    <main className="setup">
      <h1>Neural Link</h1>
      <p role="alert">{transport.reason}</p>
    </main>,
  );
} else {
  setHub(transport.api);
  wireEvents(transport.api);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
