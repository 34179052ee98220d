import { CAPABILITIES } from "@neural-link/shared/app";
import { z } from "zod";

/** The control socket's file in the data directory: a Unix socket, mode 0600, there while a hub runs. */
export const CONTROL_SOCKET = "control.sock";
/** Largest request line the hub reads from the control socket. */
export const CONTROL_MAX_LINE = 64 * 1024;

/**
 * One request per connection, one JSON line each way. Only the device
 * operations of the `devices` subcommands: the socket is for this CLI, not
 * a general API (the web UI's bridge is that).
 */
export const controlRequestSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("list") }),
  z.object({ op: z.literal("setCaps"), device: z.string().min(1), caps: z.array(z.enum(CAPABILITIES)) }),
  z.object({ op: z.literal("rename"), device: z.string().min(1), name: z.string().min(1).max(64) }),
  z.object({ op: z.literal("revoke"), device: z.string().min(1) }),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;

export type ControlReply = { ok: true; result: unknown } | { ok: false; message: string };
