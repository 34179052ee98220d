import { sql, type Selectable } from "kysely";
import { searchMessages, type MessageViewer } from "./message-search";
import type { RepoContext } from "./repo-context";
import type { MessagesTable } from "./schema";
import { clampLimit } from "./store-options";
import { StoreError } from "./store-error";
import type { ConversationSummary, MessageRecord } from "./types";

/** The conversation a message goes to when the sender names none. */
export const DEFAULT_CONVERSATION = "default";

type MessageRow = Pick<Selectable<MessagesTable>, "id" | "conversation" | "sender" | "ts" | "text">;

function toMessage(row: MessageRow): MessageRecord {
  return { id: row.id, conversation: row.conversation, sender: row.sender, ts: row.ts, text: row.text };
}

export interface NewMessage {
  /** Defaults to DEFAULT_CONVERSATION. */
  conversation?: string;
  sender: string;
  text: string;
  /** The sender's clock; defaults to the hub's. */
  ts?: number;
}

/**
 * Rows per multi-row INSERT in `appendMany`: 5 bound values a row stays far below
 * SQLite's 32766-variable limit, and larger statements gain nothing measurable.
 */
export const MESSAGE_ROWS_PER_INSERT = 200;

const MESSAGE_COLUMNS = ["m.id", "m.conversation", "m.sender", "m.ts", "m.text"] as const;

/**
 * Conversations and messages. Order is arrival order at the hub (`seq`), which is
 * also the order of the time-ordered ids: the hub is the one writer, while `ts` is
 * the sender's clock and may be skewed, so it is stored but never used to order.
 */
export class MessagesRepo {
  constructor(private readonly ctx: RepoContext) {}

  /**
   * Stores a message, creating its conversation on first use.
   * @example await store.messages.append({ sender: deviceId, text: "hello" })
   */
  async append(m: NewMessage): Promise<MessageRecord> {
    const [message] = await this.appendMany([m]);
    return message!;
  }

  /**
   * Stores many messages in one transaction, several rows per INSERT: the fast path
   * for imports and the benchmark. Same rules as `append`; all or nothing.
   */
  async appendMany(items: readonly NewMessage[]): Promise<MessageRecord[]> {
    const { db, now, newId } = this.ctx;
    const messages = items.map((m): MessageRecord => ({
      id: newId(),
      conversation: m.conversation ?? DEFAULT_CONVERSATION,
      sender: m.sender,
      ts: m.ts ?? now(),
      text: m.text,
    }));
    if (messages.length === 0) return messages;
    const conversations = [...new Set(messages.map((m) => m.conversation))];
    await db.transaction().execute(async (trx) => {
      const createdAt = now();
      await trx
        .insertInto("conversations")
        .values(conversations.map((id) => ({ id, created_at: createdAt })))
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      for (let i = 0; i < messages.length; i += MESSAGE_ROWS_PER_INSERT) {
        await trx
          .insertInto("messages")
          .values(messages.slice(i, i + MESSAGE_ROWS_PER_INSERT))
          .execute();
      }
    });
    return messages;
  }

  /**
   * Newest first, `limit` at a time; `before` is the id of the oldest message of the previous page.
   * With `viewer`, only what that device may see (message-search.ts, `MessageViewer`).
   */
  async list(opts: {
    conversation?: string;
    before?: string;
    limit: number;
    viewer?: MessageViewer;
  }): Promise<MessageRecord[]> {
    const conversation = opts.conversation ?? DEFAULT_CONVERSATION;
    const limit = clampLimit(opts.limit, this.ctx.options.maxPageSize);
    const { db } = this.ctx;
    let q = db.selectFrom("messages as m").select(MESSAGE_COLUMNS).where("m.conversation", "=", conversation);
    const viewer = opts.viewer;
    if (viewer) q = q.where((eb) => eb.or([eb("m.ts", ">=", viewer.since), eb("m.sender", "=", viewer.device)]));
    const before = opts.before;
    if (before !== undefined)
      q = q.where("m.seq", "<", (eb) => eb.selectFrom("messages").select("seq").where("id", "=", before));
    const rows = await q.orderBy("m.seq", "desc").limit(limit).execute();
    // One query in the common case; only an empty page needs telling "no older messages" from "bad cursor".
    if (rows.length === 0 && before !== undefined) await this.seqOf(before);
    return rows.map(toMessage);
  }

  /**
   * Full-text search, newest first, at most `limit` hits; never throws on what the
   * user typed (see message-search.ts for the plan).
   * @example await store.messages.search("deploy prod", 20)
   */
  search(query: string, limit: number, viewer?: MessageViewer): Promise<MessageRecord[]> {
    const { db, options } = this.ctx;
    return searchMessages(db, query, clampLimit(limit, options.maxPageSize), options.searchScanCap, viewer);
  }

  /**
   * Every conversation with its newest message and its message count, most recently
   * active first. The count walks the (conversation, seq) index, not the table.
   */
  async conversations(): Promise<ConversationSummary[]> {
    const rows = await this.ctx.db
      .selectFrom("conversations as c")
      // The newest message of each conversation: one index probe per conversation.
      .leftJoin("messages as m", (join) =>
        join.on((eb) =>
          eb(
            "m.seq",
            "=",
            eb
              .selectFrom("messages as l")
              .select((l) => l.fn.max("l.seq").as("s"))
              .whereRef("l.conversation", "=", "c.id"),
          ),
        ),
      )
      .select(["c.id as cid", "c.created_at", "m.seq", ...MESSAGE_COLUMNS])
      .select((eb) =>
        eb
          .selectFrom("messages as n")
          .select((n) => n.fn.countAll<number>().as("n"))
          .whereRef("n.conversation", "=", "c.id")
          .as("message_count"),
      )
      .orderBy(sql`coalesce(m.seq, 0)`, "desc")
      .orderBy("c.created_at", "desc")
      .execute();
    return rows.map((r) => ({
      id: r.cid,
      createdAt: r.created_at,
      lastMessage:
        r.id === null
          ? null
          : toMessage({ id: r.id, conversation: r.cid, sender: r.sender!, ts: r.ts!, text: r.text! }),
      messageCount: Number(r.message_count ?? 0),
    }));
  }

  private async seqOf(id: string): Promise<number> {
    const row = await this.ctx.db.selectFrom("messages").select("seq").where("id", "=", id).executeTakeFirst();
    if (!row) throw new StoreError("not_found", "unknown message id used as a cursor");
    return row.seq;
  }
}
