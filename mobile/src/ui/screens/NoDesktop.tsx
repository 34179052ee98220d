import { useAppStores } from "../app-context";

/** Shown on a screen that needs a desktop when none is paired yet. */
export function NoDesktop() {
  const { app } = useAppStores();
  return (
    <div className="panel">
      <p>Pair this phone with a desktop first.</p>
      <button type="button" onClick={() => app.getState().setTab("desktops")}>
        Pair a desktop
      </button>
    </div>
  );
}
