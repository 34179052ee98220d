import { z } from "zod";
import type { Capability } from "./types";

/**
 * Web Push notifications (docs/protocol.md section 11, "Push notifications"):
 * the hub sends them straight to the phone's push service (RFC 8030), the
 * payload encrypted to the subscription (RFC 8291), signed with the hub's
 * VAPID key (RFC 8292). The relay carries only the RPC calls that set it up.
 */

/** The kinds of notification a device can turn on or off. */
export const PUSH_KINDS = ["approval", "task", "message"] as const;
export type PushKind = (typeof PUSH_KINDS)[number];
/** The capability a kind needs: a device without it gets no such push, whatever its settings. */
export const PUSH_KIND_CAP: Readonly<Record<PushKind, Capability>> = {
  approval: "approve",
  task: "tasks",
  message: "chat",
};

/** Longest push service URL accepted (real ones are under 600 characters). */
export const PUSH_ENDPOINT_MAX = 2048;
/** Longest command text a push carries; a longer one is cut and the notification offers no Approve/Reject. */
export const PUSH_COMMAND_MAX = 1000;
/** Longest message or task text a push carries (a preview). */
export const PUSH_TEXT_MAX = 200;

const b64u = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "base64url without padding")
    .length(Math.ceil((bytes * 4) / 3));

/** A browser's PushSubscription as `toJSON()` gives it (the hub ignores `expirationTime`). */
export const pushSubscriptionSchema = z.object({
  endpoint: z
    .string()
    .max(PUSH_ENDPOINT_MAX)
    .url()
    .refine((u) => u.startsWith("https://"), "a push service URL is https"),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The subscription's P-256 public key, uncompressed (65 bytes). */
    p256dh: b64u(65),
    /** The subscription's authentication secret (16 bytes). */
    auth: b64u(16),
  }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;

export const pushEventsSchema = z.object({ approval: z.boolean(), task: z.boolean(), message: z.boolean() });
export type PushEvents = z.infer<typeof pushEventsSchema>;
/** A device that subscribes without saying gets every kind its capabilities allow. */
export const PUSH_EVENTS_DEFAULT: Readonly<PushEvents> = Object.freeze({ approval: true, task: true, message: true });

const pushState = z.object({ subscribed: z.boolean(), events: pushEventsSchema });

/** The push methods, spread into shared's `methods` registry. Any paired device may call them. */
export const pushMethods = {
  /** The hub's VAPID public key (uncompressed P-256, base64url): the phone's `applicationServerKey`. */
  "push.key": { cap: null, params: z.object({}).optional(), result: z.object({ key: b64u(65) }) },
  /** Registers (or replaces) this device's subscription; `events` default to every kind. */
  "push.subscribe": {
    cap: null,
    params: z.object({ subscription: pushSubscriptionSchema, events: pushEventsSchema.partial().optional() }),
    result: pushState,
  },
  /** Forgets this device's subscription (its settings stay). */
  "push.unsubscribe": { cap: null, params: z.object({}).optional(), result: pushState },
  /** Reads this device's settings, or changes the kinds given. */
  "push.settings": {
    cap: null,
    params: z.object({ events: pushEventsSchema.partial().optional() }),
    result: pushState,
  },
  /** Whether the app is open and visible on this device: while it is, the hub sends it no pushes. */
  "push.visibility": { cap: null, params: z.object({ visible: z.boolean() }), result: z.object({}) },
} as const;

const hub = z.object({ hub: z.string().max(64), hub_name: z.string().max(64) });
const taskRef = z.string().min(1).max(64);

/**
 * The plaintext of one push (JSON, encrypted to the subscription). The phone's
 * service worker words it; `tag` groups the notifications of one thing, so a
 * later push replaces an earlier one.
 */
export const pushPayloadSchema = z.discriminatedUnion("k", [
  hub.extend({
    k: z.literal("approval"),
    task: taskRef,
    command: z.string().max(PUSH_COMMAND_MAX),
    /** false: the command was cut to fit; the phone must show the whole text before an approval. */
    full: z.boolean(),
    risk: z.string().max(16),
    asker: z.string().max(64),
    terminal: z.boolean().optional(),
    expires_at: z.number().int().optional(),
  }),
  hub.extend({
    k: z.literal("answered"),
    task: taskRef,
    /**
     * "approved", "voted" (this phone's part is done, another approver is awaited), "rejected", "expired", "cancelled".
     */
    outcome: z.string().max(16),
    by: z.string().max(64),
  }),
  hub.extend({
    k: z.literal("task"),
    task: taskRef,
    command: z.string().max(PUSH_TEXT_MAX),
    state: z.string().max(16),
    exit_code: z.number().int().nullable().optional(),
  }),
  hub.extend({
    k: z.literal("message"),
    message: z.string().max(64),
    conversation: z.string().max(64),
    sender: z.string().max(64),
    text: z.string().max(PUSH_TEXT_MAX),
  }),
]);
export type PushPayload = z.infer<typeof pushPayloadSchema>;

/** The notification tag of a payload: one per task, one per conversation. */
export function pushTag(p: PushPayload): string {
  return p.k === "message"
    ? `nlink:${p.hub.slice(0, 8)}:chat:${p.conversation}`
    : `nlink:${p.hub.slice(0, 8)}:task:${p.task}`;
}

/** Cuts text to `max` UTF-16 units, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
