/** Application message types carried in an envelope's `t` (docs/protocol.md section 11). */
export const AppType = {
  RPC: "rpc",
  RPC_RESULT: "rpc.result",
  RPC_ERROR: "rpc.error",
  TASK_UPDATED: "task.updated",
  MESSAGE_NEW: "message.new",
  TERM_OUTPUT: "term.output",
  TERM_EXIT: "term.exit",
  /** Keystrokes, qos 0, numbered per terminal (flow control, docs/protocol.md section 11 "Terminal flow"). */
  TERM_IN: "term.in",
  /** The viewer has drawn output up to `seq`, qos 0: clocks the hub's per-terminal window. */
  TERM_ACK: "term.ack",
  TERM_SIZE: "term.size",
  PAIR_ACCEPT: "pair.accept",
  PAIR_REJECT: "pair.reject",
  DEVICE_REVOKED: "device.revoked",
  /** Files (files.ts): bytes at an offset, qos 0. */
  FILE_CHUNK: "file.chunk",
  /** Files: the receiver's in-order count, qos 0; clocks the sender's window. */
  FILE_ACK: "file.ack",
} as const;
export type AppType = (typeof AppType)[keyof typeof AppType];

/** Capabilities a hub grants a paired device; each RPC method needs one. */
export const CAPABILITIES = ["chat", "tasks", "approve", "terminal", "doc"] as const;
export type Capability = (typeof CAPABILITIES)[number];
/** What a newly paired phone may do until the desktop user changes it. */
export const DEFAULT_PHONE_CAPS: readonly Capability[] = ["chat", "tasks", "approve", "doc"];
