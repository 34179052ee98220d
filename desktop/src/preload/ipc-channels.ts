/** IPC channel names between main and preload; nothing else is listened to. */
export const IPC = {
  /** invoke(method, params) -> CallOutcome */
  CALL: "hub:call",
  /** main -> renderer: (event name, payload) */
  EVENT: "hub:event",
} as const;
