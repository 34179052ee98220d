import { CAPABILITIES, pushEventsSchema } from "@neural-link/shared/app";
import { NotesType } from "@neural-link/shared/sync";
import { z } from "zod";
import { POLICY_LIMITS } from "@neural-link/shared/policy";
import type { HubMethod } from "../api";

/**
 * Zod schemas for the params of every HubApi call, checked by `dispatchCall`
 * before the hub sees them. A renderer is less trusted than the hub: in web
 * mode anything holding the session token can send these.
 */

/** Settings for the limits below; user-visible through error messages. */
export const PARAM_LIMITS = {
  /** Longest device or hub name, as docs/protocol.md section 9 allows for cards. */
  maxNameChars: 64,
  /** Longest message text accepted from the desktop UI. */
  maxMessageChars: 16_384,
  /** Longest command line accepted from the desktop UI. */
  maxCommandChars: 8_192,
  /** Largest single chunk of terminal input (a paste). */
  maxTerminalInputChars: 65_536,
  /** Largest page any list call may ask for. */
  maxPage: 500,
  /** Terminal size bounds. */
  maxTerminalCols: 1_000,
  maxTerminalRows: 500,
  /** Longest folder path of a workspace grant (Linux PATH_MAX). */
  maxPathChars: 4_096,
} as const;

const id = z.string().min(1).max(128);
const name = z.string().trim().min(1).max(PARAM_LIMITS.maxNameChars);
const limit = z.number().int().min(1).max(PARAM_LIMITS.maxPage).optional();
const before = z.number().int().nonnegative().optional();
const cols = z.number().int().min(2).max(PARAM_LIMITS.maxTerminalCols);
const rows = z.number().int().min(1).max(PARAM_LIMITS.maxTerminalRows);
/** A desktop window's own id (HubApi `screen`): letters, digits, - and _. */
const screen = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .optional();
const relayUrl = z
  .string()
  .url()
  .refine((u) => /^wss?:\/\//.test(u), "relay URL must start with ws:// or wss://");
const relay = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("embedded") }).strict(),
  z.object({ mode: z.literal("url"), url: relayUrl }).strict(),
]);
const none = z.undefined().or(z.object({}).strict());
/** One list of a device's risk overrides; the limits are the classifier's own. */
const policyList = z
  .array(
    z
      .string()
      .trim()
      .min(1, "an entry is empty")
      .max(POLICY_LIMITS.maxEntryLength, `an entry is longer than ${POLICY_LIMITS.maxEntryLength} characters`),
  )
  .max(POLICY_LIMITS.maxEntries, `at most ${POLICY_LIMITS.maxEntries} entries per list`)
  .optional();
const riskPolicy = z.object({ allow: policyList, high: policyList, forbid: policyList }).strict();
/**
 * A shared-document message of the UI's notes pad: the type is checked here,
 * the data's shape by the NotesService's own schemas (which answer `notes.error`).
 */
const notesMessage = z
  .object({
    t: z.enum(NotesType, { error: `t must be one of ${Object.values(NotesType).join(", ")}` }),
    d: z.record(z.string(), z.unknown(), { error: "d must be an object" }),
  })
  .strict();

export const PARAM_SCHEMAS: Record<HubMethod, z.ZodType> = {
  getStatus: none,
  setup: z.object({ name, relay }).strict(),
  startPairing: none,
  cancelPairing: none,
  answerPairing: z.object({ requestId: id, accept: z.boolean() }).strict(),
  listDevices: none,
  renameDevice: z.object({ device: id, name }).strict(),
  revokeDevice: z.object({ device: id }).strict(),
  setDeviceCaps: z.object({ device: id, caps: z.array(z.enum(CAPABILITIES)).max(CAPABILITIES.length) }).strict(),
  setDevicePolicy: z.object({ device: id, policy: riskPolicy }).strict(),
  listConversations: none,
  listMessages: z.object({ conversation: id, before, limit }).strict(),
  sendMessage: z
    .object({ text: z.string().min(1).max(PARAM_LIMITS.maxMessageChars), conversation: id.optional() })
    .strict(),
  searchMessages: z.object({ query: z.string().trim().min(1).max(256), limit }).strict(),
  listTasks: z.object({ limit }).strict(),
  runTask: z
    .object({
      command: z.string().trim().min(1).max(PARAM_LIMITS.maxCommandChars),
      cwd: z.string().min(1).max(4096).optional(),
      timeout_ms: z.number().int().positive().optional(),
    })
    .strict(),
  approveTask: z.object({ task: id, approve: z.boolean(), remember: z.enum(["once", "today"]).optional() }).strict(),
  getTask: z.object({ task: id }).strict(),
  cancelTask: z.object({ task: id }).strict(),
  escalateTask: z.object({ task: id }).strict(),
  listWorkspaceGrants: z.object({ device: id.optional() }).strict(),
  // The folder's rules (absolute, existing, not a system folder...) are the WorkspaceGrants service's, with their own
  // messages.
  grantWorkspace: z
    .object({ device: id, path: z.string().trim().min(1, "give a folder").max(PARAM_LIMITS.maxPathChars) })
    .strict(),
  revokeWorkspace: z.object({ device: id, path: z.string().min(1).max(PARAM_LIMITS.maxPathChars) }).strict(),
  getPushSettings: z.object({ device: id }).strict(),
  setPushSettings: z.object({ device: id, events: pushEventsSchema.partial().strict() }).strict(),
  listRememberedApprovals: none,
  forgetRememberedApproval: z
    .object({
      device: id,
      digest: z
        .string()
        .regex(/^[0-9a-f]{64}$/, "digest must be 64 hex digits")
        .optional(),
    })
    .strict(),
  listFavorites: none,
  saveFavorite: z
    .object({
      command: z.string().trim().min(1).max(PARAM_LIMITS.maxCommandChars),
      cwd: z.string().min(1).max(4096).optional(),
      label: z.string().trim().min(1).max(80).optional(),
    })
    .strict(),
  removeFavorite: z.object({ id }).strict(),
  listCommandHistory: z.object({ limit }).strict(),
  forgetCommandHistory: z.object({ id }).strict(),
  listTerminals: none,
  openTerminal: z.object({ cols, rows, cwd: z.string().min(1).max(4096).optional(), screen }).strict(),
  terminalInput: z.object({ id, data: z.string().max(PARAM_LIMITS.maxTerminalInputChars), screen }).strict(),
  resizeTerminal: z.object({ id, cols, rows, claim: z.boolean().optional(), screen }).strict(),
  closeTerminal: z.object({ id }).strict(),
  terminalSnapshot: z.object({ id }).strict(),
  listAudit: z.object({ before, limit }).strict(),
  getSettings: none,
  getFileSettings: none,
  updateFileSettings: z
    .object({
      landingDir: z.string().min(1).max(4096).optional(),
      maxFileBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict(),
  listFileTransfers: none,
  updateSettings: z
    .object({
      name: name.optional(),
      relay: relay.optional(),
      approvals: z.enum(["both", "phone", "desktop"]).optional(),
    })
    .strict(),
  notesMessage,
};
