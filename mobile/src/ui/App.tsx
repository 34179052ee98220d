import { lazy, Suspense, useEffect } from "react";
import { useStore } from "zustand";
import type { Tab } from "../stores/app-store";
import { useAppStores } from "./app-context";
import { ErrorBoundary } from "./ErrorBoundary";
import { StatusBar } from "./StatusBar";
import { TabBar } from "./TabBar";
import { ChatScreen } from "./screens/ChatScreen";
import { DesktopsScreen } from "./screens/DesktopsScreen";
import { FilesScreen } from "./screens/FilesScreen";
import { TasksScreen } from "./screens/TasksScreen";

// The terminal (xterm.js) and the notes pad (Yjs) are the heavy screens: loaded when first opened.
const TerminalScreen = lazy(() => import("./screens/TerminalScreen").then((m) => ({ default: m.TerminalScreen })));
const NotesScreen = lazy(() => import("./screens/NotesScreen").then((m) => ({ default: m.NotesScreen })));

const TITLES: Record<Tab, string> = {
  chat: "Chat",
  tasks: "Tasks",
  terminal: "Terminal",
  files: "Files",
  notes: "Notes",
  desktops: "Desktops",
};

function Screen({ tab }: { tab: Tab }) {
  switch (tab) {
    case "chat":
      return <ChatScreen />;
    case "tasks":
      return <TasksScreen />;
    case "terminal":
      return <TerminalScreen />;
    case "files":
      return <FilesScreen />;
    case "notes":
      return <NotesScreen />;
    case "desktops":
      return <DesktopsScreen />;
    default: {
      const never: never = tab;
      return never;
    }
  }
}

export function App() {
  const { app } = useAppStores();
  const phase = useStore(app, (s) => s.phase);
  const error = useStore(app, (s) => s.error);
  const tab = useStore(app, (s) => s.tab);

  useEffect(() => {
    document.title = `${TITLES[tab]} · Neural Link`;
  }, [tab]);

  if (phase === "loading")
    return (
      <p className="panel" role="status">
        Loading…
      </p>
    );
  if (phase === "error") {
    return (
      <div role="alert" className="panel error-panel">
        <h1>Neural Link cannot start</h1>
        <p>{error}</p>
      </div>
    );
  }
  return (
    <div className="app">
      <StatusBar />
      <main className="screen" id="main" aria-label={TITLES[tab]}>
        <ErrorBoundary area={TITLES[tab]} key={tab}>
          <Suspense
            fallback={
              <p className="panel" role="status">
                Loading…
              </p>
            }
          >
            <Screen tab={tab} />
          </Suspense>
        </ErrorBoundary>
      </main>
      <TabBar />
    </div>
  );
}
