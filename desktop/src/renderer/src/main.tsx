import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App";
import { setHub } from "./hub-ref";
import { useUi } from "./stores/ui-store";
import { pickTransport } from "./transport/pick-transport";
import { wireEvents } from "./wire-events";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);
const transport = pickTransport((end) => useUi.getState().setDisconnected(`${end.reason} (code ${end.code})`));
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
