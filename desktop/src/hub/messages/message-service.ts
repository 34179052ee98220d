import { AppType } from "@neural-link/shared/app";
import type { Logger } from "pino";
import type { Conversation, Message } from "../api";
import { HubError } from "../hub-error";
import type { HubEmitter } from "../hub-events";
import type { HubLink } from "../link/hub-link";
import { DESKTOP_ACTOR } from "../audit-log";
import { type MessageRecord, type Store, StoreError } from "../store";
import type { MessageViewer } from "../store/message-search";

/** Settings of the message service. */
export interface MessageSettings {
  /** Page size when the caller names none. */
  pageDefault: number;
  /** Messages scanned per step when paging by time (HubApi's `before` is a timestamp). */
  scanPage: number;
}

export const MESSAGE_DEFAULTS: MessageSettings = { pageDefault: 50, scanPage: 200 };

/**
 * Chat between this desktop and its paired devices. Every new message goes
 * to the UI and, as a qos 1 `message.new` frame, to every other device that
 * may chat, so each phone's list stays complete.
 */
export class MessageService {
  private readonly log: Logger;
  /** The desktop's own name, for `sender_name` on its messages (set by the hub's wiring). */
  hubName: () => string = () => "Desktop";

  constructor(
    private readonly store: Store,
    private readonly link: HubLink,
    private readonly events: HubEmitter,
    private readonly chatters: () => Promise<string[]>,
    log: Logger,
    private readonly settings: MessageSettings = MESSAGE_DEFAULTS,
  ) {
    this.log = log.child({ mod: "hub/messages" });
  }

  async send(sender: string, text: string, conversation?: string): Promise<MessageRecord> {
    const [message] = await this.named([
      await this.store.messages.append({ sender, text, ...(conversation ? { conversation } : {}) }),
    ]);
    if (!message) throw new HubError("internal", "the message was not stored");
    // When a phone's call runs in a store unit, the UI hears of the message only once it is committed.
    this.store.unit.afterCommit(() => this.events.emit("message", message));
    for (const device of await this.chatters()) {
      if (device === sender) continue;
      this.link
        .send(device, AppType.MESSAGE_NEW, { message }, 1)
        .catch((err: unknown) => this.log.warn({ err: String(err) }, "message.new not queued"));
    }
    return message;
  }

  /**
   * Newest first; `before` is a message id (the wire's cursor). With `viewer` (a
   * device id), only what that device may see: see `viewerOf`.
   */
  async listById(
    opts: { conversation?: string; before?: string; limit?: number },
    viewer?: string,
  ): Promise<MessageRecord[]> {
    try {
      const seen = viewer === undefined ? undefined : await this.viewerOf(viewer);
      return await this.named(
        await this.store.messages.list({
          ...opts,
          limit: opts.limit ?? this.settings.pageDefault,
          ...(seen ? { viewer: seen } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof StoreError && err.code === "not_found")
        throw new HubError("not_found", "unknown message id used as a cursor");
      throw err;
    }
  }

  /** Newest first, older than `before` (ms) when given: the UI pages by time. */
  async listByTime(
    conversation: string,
    before: number | undefined,
    limit = this.settings.pageDefault,
  ): Promise<Message[]> {
    const out: Message[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.store.messages.list({
        conversation,
        limit: this.settings.scanPage,
        ...(cursor ? { before: cursor } : {}),
      });
      for (const m of page) if (before === undefined || m.ts < before) out.push(m);
      if (out.length >= limit || page.length < this.settings.scanPage) return out.slice(0, limit);
      cursor = page[page.length - 1]!.id;
    }
  }

  async search(query: string, limit = this.settings.pageDefault, viewer?: string): Promise<MessageRecord[]> {
    const seen = viewer === undefined ? undefined : await this.viewerOf(viewer);
    return this.named(await this.store.messages.search(query, limit, seen));
  }

  /**
   * What a paired device may read (docs/protocol.md section 11, "Who sees which
   * messages"): every message sent from its pairing on, and every message it sent
   * itself, in any conversation; nothing from before it was paired, so a new phone
   * does not inherit the desktop's and other phones' earlier history. The desktop
   * sees everything. An unknown device sees only its own messages.
   */
  private async viewerOf(device: string): Promise<MessageViewer | undefined> {
    if (device === DESKTOP_ACTOR) return undefined;
    const d = await this.store.devices.get(device);
    return { device, since: d?.pairedAt ?? Number.MAX_SAFE_INTEGER };
  }

  /** Adds `sender_name`: the desktop's name, or the name the desktop knows a device by. */
  private async named(messages: MessageRecord[]): Promise<MessageRecord[]> {
    const names = new Map<string, string | undefined>();
    for (const sender of new Set(messages.map((m) => m.sender))) {
      names.set(sender, sender === DESKTOP_ACTOR ? this.hubName() : (await this.store.devices.get(sender))?.name);
    }
    return messages.map((m) => {
      const name = names.get(m.sender);
      return name === undefined ? m : { ...m, sender_name: name };
    });
  }

  async conversations(): Promise<Conversation[]> {
    const list = await this.store.messages.conversations();
    return list.map((c) => ({
      id: c.id,
      title: c.id,
      lastTs: c.lastMessage?.ts ?? null,
      lastText: c.lastMessage?.text ?? null,
      messageCount: c.messageCount,
    }));
  }
}
