import { z } from "zod";
import { CAPABILITIES, type Capability } from "./types";
import { CONVERSATION_ID_MAX, MESSAGE_TEXT_MAX, messageSchema } from "./messages";
import { pushMethods } from "./push";
import { FAVORITE_LABEL_MAX, favoriteSchema, historyEntrySchema } from "./favorites";
import { fileMethods } from "./files";
import { taskSchema } from "./task";

export const PAGE_LIMIT_MAX = 200;
export const PAGE_LIMIT_DEFAULT = 50;
export const COMMAND_MAX = 8192;
export const TERM_COLS_MAX = 500;
export const TERM_ROWS_MAX = 200;
export const TERM_INPUT_MAX = 64 * 1024;

const limit = z.number().int().min(1).max(PAGE_LIMIT_MAX).optional();
/**
 * Set on a list answer cut short to stay under the relay's frame limit
 * (docs/protocol.md section 11, "Sizes and paging"): `more` says items were
 * left out; `next`, where the method pages with `before`, is the cursor to pass.
 */
const sizePaging = { more: z.literal(true).optional(), next: z.string().max(64).optional() };
const conversation = z.string().min(1).max(CONVERSATION_ID_MAX);
const taskId = z.string().min(1).max(64);
const termId = z.string().min(1).max(64);
/**
 * Set by a hub that speaks terminal flow (docs/protocol.md section 11, "Terminal flow"): it takes
 * keystrokes as `term.in` and clocks output by `term.ack`; `window` is its high watermark, in characters.
 */
export const termFlowSchema = z.object({ window: z.number().int().positive() });
export type TermFlow = z.infer<typeof termFlowSchema>;
const cols = z.number().int().min(2).max(TERM_COLS_MAX);
const rows = z.number().int().min(1).max(TERM_ROWS_MAX);
/** A terminal's size now and who holds it (a device id, or "desktop"); optional: an older hub leaves it out. */
const termSize = { cols: cols.optional(), rows: rows.optional(), by: z.string().max(64).optional() };

/** The sandbox in force on the hub, as `hub.info` reports it. */
export const sandboxInfoSchema = z.object({
  /** "bubblewrap", "sandbox-exec" or "none". */
  kind: z.string(),
  available: z.boolean(),
  /** In plain words: what it guarantees, or why there is none. */
  reason: z.string(),
});
export type SandboxInfo = z.infer<typeof sandboxInfoSchema>;

const def = <P extends z.ZodType, R extends z.ZodType>(cap: Capability | null, params: P, result: R) => ({
  cap,
  params,
  result,
});

/**
 * Every method a paired device may call on the hub: its parameters, its
 * result, and the capability it needs (null: any paired device).
 * Both ends validate with these; the hub rejects bad params as `bad_params`.
 */
export const methods = {
  "hub.info": def(
    null,
    z.object({}).optional(),
    z.object({
      device: z.string(),
      name: z.string(),
      version: z.string(),
      caps: z.array(z.enum(CAPABILITIES)),
      /** The OS sandbox low-risk commands run in; `available: false` means every command asks. */
      sandbox: sandboxInfoSchema.optional(),
    }),
  ),
  "messages.send": def(
    "chat",
    z.object({ text: z.string().min(1).max(MESSAGE_TEXT_MAX), conversation: conversation.optional() }),
    z.object({ message: messageSchema }),
  ),
  "messages.list": def(
    "chat",
    z.object({ conversation: conversation.optional(), before: z.string().max(64).optional(), limit }),
    z.object({ messages: z.array(messageSchema), ...sizePaging }),
  ),
  "messages.search": def(
    "chat",
    z.object({ query: z.string().min(1).max(256), limit }),
    z.object({ messages: z.array(messageSchema), more: sizePaging.more }),
  ),
  "tasks.run": def(
    "tasks",
    z.object({
      command: z.string().min(1).max(COMMAND_MAX),
      cwd: z.string().max(4096).optional(),
      timeout_ms: z
        .number()
        .int()
        .min(100)
        .max(24 * 3600 * 1000)
        .optional(),
    }),
    z.object({ task: taskSchema }),
  ),
  "tasks.approve": def(
    "approve",
    // `command`, when given, must equal the task's exact text: the approval is bound to what the user saw.
    z.object({
      task: taskId,
      approve: z.boolean(),
      command: z.string().max(COMMAND_MAX).optional(),
      /** "today": also approve this exact command (same cwd and environment) for this device until local midnight. */
      remember: z.enum(["once", "today"]).optional(),
    }),
    z.object({ task: taskSchema }),
  ),
  /** Re-runs a task the sandbox stopped, with full rights: a new high-risk task that needs its own approval. */
  "tasks.escalate": def("tasks", z.object({ task: taskId }), z.object({ task: taskSchema })),
  /** Stops a running task, or withdraws one awaiting approval. */
  "tasks.cancel": def("tasks", z.object({ task: taskId }), z.object({ task: taskSchema })),
  "tasks.get": def("tasks", z.object({ task: taskId }), z.object({ task: taskSchema })),
  "tasks.list": def(
    "tasks",
    z.object({ before: taskId.optional(), limit }),
    z.object({ tasks: z.array(taskSchema), ...sizePaging }),
  ),
  "term.open": def(
    "terminal",
    z.object({ cols, rows, cwd: z.string().max(4096).optional() }),
    // A terminal is full access: it opens only once approved (`task` is its approval, kind "terminal").
    z.object({
      term: termId,
      seq: z.number().int(),
      state: z.enum(["open", "awaiting_approval", "rejected"]).optional(),
      task: taskSchema.optional(),
      flow: termFlowSchema.optional(),
    }),
  ),
  "term.input": def("terminal", z.object({ term: termId, data: z.string().min(1).max(TERM_INPUT_MAX) }), z.object({})),
  /**
   * The size the caller's screen fits. The pty takes it only from the viewer holding the size (the one that typed
   * last, or `claim`s it): docs/protocol.md section 11, "Terminal size". The result says the size the pty has now.
   */
  "term.resize": def(
    "terminal",
    z.object({ term: termId, cols, rows, claim: z.boolean().optional() }),
    z.object({ ...termSize }),
  ),
  "term.close": def("terminal", z.object({ term: termId }), z.object({})),
  /**
   * `bytes: true` asks for the `term.output` after this snapshot as UTF-8 bytes (a byte-tail envelope); the answer
   * says `bytes: true` when they will come so (docs/protocol.md section 11, "Output as bytes").
   */
  "term.snapshot": def(
    "terminal",
    z.object({ term: termId, bytes: z.boolean().optional() }),
    z.object({
      term: termId,
      seq: z.number().int(),
      data: z.string(),
      open: z.boolean(),
      ...termSize,
      flow: termFlowSchema.optional(),
      bytes: z.boolean().optional(),
    }),
  ),
  /** `command`: what runs in the foreground now (the shell itself at its prompt); `opened_at`: when it opened. */
  "term.list": def(
    "terminal",
    z.object({}).optional(),
    z.object({
      terms: z.array(
        z.object({
          term: termId,
          open: z.boolean(),
          cols,
          rows,
          command: z.string().optional(),
          opened_at: z.number().int().optional(),
          by: z.string().optional(),
        }),
      ),
    }),
  ),
  /**
   * Saved commands of this hub, shared by the user's devices (docs/protocol.md section 11, "Saved commands and
   * history").
   */
  "favorites.list": def("tasks", z.object({}).optional(), z.object({ favorites: z.array(favoriteSchema) })),
  /** Saving the same command and folder again updates its label and answers the same favorite. */
  "favorites.save": def(
    "tasks",
    z.object({
      command: z.string().min(1).max(COMMAND_MAX),
      cwd: z.string().min(1).max(4096).optional(),
      label: z.string().trim().min(1).max(FAVORITE_LABEL_MAX).optional(),
    }),
    z.object({ favorite: favoriteSchema }),
  ),
  "favorites.remove": def("tasks", z.object({ favorite: z.string().min(1).max(64) }), z.object({})),
  /** Distinct commands run on the hub, last run first (those run since the caller was paired). */
  "history.list": def(
    "tasks",
    z.object({ limit }),
    z.object({ commands: z.array(historyEntrySchema), more: sizePaging.more }),
  ),
  "history.remove": def("tasks", z.object({ entry: z.string().min(1).max(64) }), z.object({})),
  /** Web Push notifications (push.ts; docs/protocol.md section 11, "Push notifications"). */
  ...pushMethods,
  /** Files both ways (files.ts; docs/protocol.md section 11, "Files"). */
  ...fileMethods,
} as const;

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]["params"]>;
export type MethodResult<M extends MethodName> = z.infer<(typeof methods)[M]["result"]>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
