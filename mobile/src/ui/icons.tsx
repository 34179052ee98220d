import type { Tab } from "../stores/app-store";

/**
 * The tab bar's icons as inline SVG paths: no icon font or emoji, which a
 * phone may lack, and nothing the app's CSP would block.
 */
const PATHS: Record<Tab, string> = {
  chat: "M4 4h16v11H8l-4 4z",
  tasks: "M7 4l12 8-12 8z",
  terminal: "M3 5h18v14H3zM6 9l3 3-3 3M11 15h6",
  files: "M3 6h7l2 2h9v11H3zM12 11v6M9 14l3 3 3-3",
  notes: "M6 3h9l4 4v14H6zM9 11h7M9 15h7",
  desktops: "M3 4h18v12H3zM9 20h6M12 16v4",
};

export function TabIcon({ tab }: { tab: Tab }) {
  return (
    <svg className="tab-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <path
        d={PATHS[tab]}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}
