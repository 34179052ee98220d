import { useEffect } from "react";
import type { Section } from "../sections";
import { shortcutFor } from "../shortcuts";
import { useStatus } from "../stores/status-store";
import { useTasks } from "../stores/tasks-store";
import { NOTICE_MS, useUi } from "../stores/ui-store";
import { ApprovalDialog } from "./ApprovalDialog";
import { AuditScreen } from "./AuditScreen";
import { DevicesScreen } from "./DevicesScreen";
import { HelpOverlay } from "./HelpOverlay";
import { MessagesScreen, SEARCH_INPUT_ID } from "./MessagesScreen";
import { Nav } from "./Nav";
import { NotesScreen } from "./NotesScreen";
import { PairingScreen } from "./PairingScreen";
import { SasDialog } from "./SasDialog";
import { SettingsScreen } from "./SettingsScreen";
import { SetupScreen } from "./SetupScreen";
import { TasksScreen } from "./TasksScreen";
import { TerminalsScreen } from "./TerminalsScreen";

function Screen({ section }: { section: Section }) {
  switch (section) {
    case "pairing":
      return <PairingScreen />;
    case "devices":
      return <DevicesScreen />;
    case "messages":
      return <MessagesScreen />;
    case "tasks":
      return <TasksScreen />;
    case "terminals":
      return <TerminalsScreen />;
    case "audit":
      return <AuditScreen />;
    case "settings":
      return <SettingsScreen />;
    case "notes":
      return <NotesScreen />;
    default: {
      const never: never = section;
      return never;
    }
  }
}

function useShortcuts(): void {
  useEffect(() => {
    const isMac = navigator.userAgent.includes("Mac");
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const inText = t !== null && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
      const action = shortcutFor(e, inText, isMac);
      if (!action) return;
      e.preventDefault();
      const ui = useUi.getState();
      switch (action.kind) {
        case "section":
          ui.go(action.section);
          break;
        case "search":
          ui.go("messages");
          // The input exists after React renders the section.
          requestAnimationFrame(() => document.getElementById(SEARCH_INPUT_ID)?.focus());
          break;
        case "help":
          ui.toggleHelp();
          break;
        case "theme": {
          const dark =
            ui.theme === "dark" || (ui.theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
          ui.setTheme(dark ? "light" : "dark");
          break;
        }
        default: {
          const never: never = action;
          throw new Error(`unhandled shortcut ${JSON.stringify(never)}`);
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

export function App() {
  const status = useStatus((s) => s.status);
  const { section, theme, notice, notify, disconnected, epoch } = useUi();
  useShortcuts();
  // Again after each reconnection to the hub (epoch): what happened meanwhile was not pushed to this page.
  useEffect(() => {
    void useStatus.getState().load();
    void useTasks.getState().load();
  }, [epoch]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => notify(null), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice, notify]);

  return (
    <>
      {disconnected && (
        <div role="alert" className="banner">
          Not connected to the hub: {disconnected}
        </div>
      )}
      {notice && (
        <div role="alert" className="notice">
          {notice}
          <button type="button" aria-label="Dismiss" onClick={() => notify(null)}>
            ×
          </button>
        </div>
      )}
      {status === null ? (
        <main className="setup" aria-busy="true">
          <p>Connecting to the hub…</p>
        </main>
      ) : !status.setupDone ? (
        <SetupScreen />
      ) : (
        <div className="layout" key={epoch}>
          <Nav />
          <main id="content">
            <Screen section={section} />
          </main>
          <SasDialog />
          <ApprovalDialog />
        </div>
      )}
      <HelpOverlay />
    </>
  );
}
