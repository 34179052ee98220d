import { useStore } from "zustand";
import { type Tab, TABS } from "../stores/app-store";
import { useAppStores } from "./app-context";
import { TabIcon } from "./icons";

const LABELS: Record<Tab, string> = {
  chat: "Chat",
  tasks: "Tasks",
  terminal: "Terminal",
  files: "Files",
  notes: "Notes",
  desktops: "Desktops",
};

/** The bottom tab bar: big targets within thumb reach on a 360 px wide phone. */
export function TabBar() {
  const { app } = useAppStores();
  const tab = useStore(app, (s) => s.tab);
  const paired = useStore(app, (s) => s.session !== null);
  return (
    <nav className="tab-bar" aria-label="Sections">
      {TABS.map((t) => {
        const disabled = !paired && t !== "desktops";
        return (
          <button
            key={t}
            type="button"
            className="tab"
            aria-current={tab === t ? "page" : undefined}
            disabled={disabled}
            onClick={() => app.getState().setTab(t)}
          >
            <TabIcon tab={t} />
            <span>{LABELS[t]}</span>
          </button>
        );
      })}
    </nav>
  );
}
