import { z } from "zod";

/** Longest label a saved command may carry. */
export const FAVORITE_LABEL_MAX = 80;

/**
 * A saved command ("favorite") of one hub, shared by every device with the
 * `tasks` capability (docs/protocol.md section 11, "Saved commands and history").
 * Running it is an ordinary `tasks.run`: the risk policy and approvals apply.
 */
export const favoriteSchema = z.object({
  id: z.string(),
  command: z.string(),
  /** The folder it runs in; absent: the desktop's default folder. */
  cwd: z.string().optional(),
  label: z.string().optional(),
  created_at: z.number().int(),
});
export type Favorite = z.infer<typeof favoriteSchema>;

/** One distinct command (text and folder) run on the hub: when it last ran and how often. */
export const historyEntrySchema = z.object({
  id: z.string(),
  command: z.string(),
  cwd: z.string().optional(),
  last_run_at: z.number().int(),
  runs: z.number().int().min(1),
  /** The task of the last run (`tasks.get`), when the caller may see it. */
  last_task: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
