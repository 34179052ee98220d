/** The UI's sections, in the order of their Ctrl/Cmd+digit shortcuts. */
export const SECTIONS = ["pairing", "devices", "messages", "tasks", "terminals", "audit", "settings", "notes"] as const;
export type Section = (typeof SECTIONS)[number];
export const SECTION_LABELS: Record<Section, string> = {
  pairing: "Pair a phone",
  devices: "Devices",
  messages: "Messages",
  tasks: "Tasks",
  terminals: "Terminals",
  audit: "Audit log",
  settings: "Settings",
  notes: "Notes",
};
