import { createStore, type StoreApi } from "zustand/vanilla";
import { type ChatMessage, MESSAGE_TEXT_MAX, messageNewSchema } from "@neural-link/shared/app";
import type { HubCaller, Push } from "../connection/hub-link";
import { MOBILE_SETTINGS } from "../settings";
import { describeError } from "./errors";

export interface ChatState {
  /** Oldest first, as the conversation reads. */
  messages: ChatMessage[];
  /** False once a page came back shorter than asked: nothing older exists. */
  hasOlder: boolean;
  loading: boolean;
  sending: boolean;
  error: string | null;
  search: { query: string; results: ChatMessage[]; loading: boolean } | null;
  loadLatest(): Promise<void>;
  loadOlder(): Promise<void>;
  send(text: string): Promise<boolean>;
  runSearch(query: string): Promise<void>;
  clearSearch(): void;
  handlePush(push: Push): void;
}

/** Merges messages by id (a push and a page may carry the same one) and sorts them oldest first. */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Who wrote a message, as the chat labels it: "You" for this phone, else the
 * name the hub sent (`sender_name`, docs/protocol.md section 11). An older hub
 * sends none: then only the desktop's own messages can be named.
 */
export function authorOf(m: ChatMessage, mine: boolean): string {
  if (mine) return "You";
  if (m.sender_name) return m.sender_name;
  return m.sender === "desktop" ? "Desktop" : "Another device";
}

/** Chat with the hub: paged history (newest first on the wire), send, search and live `message.new`. */
export function createChatStore(hub: HubCaller, pageSize: number = MOBILE_SETTINGS.chatPageSize): StoreApi<ChatState> {
  return createStore<ChatState>((set, get) => ({
    messages: [],
    hasOlder: true,
    loading: false,
    sending: false,
    error: null,
    search: null,

    async loadLatest() {
      set({ loading: true, error: null });
      try {
        const { messages } = await hub.call("messages.list", { limit: pageSize });
        set({
          messages: mergeMessages(get().messages, messages),
          hasOlder: messages.length === pageSize,
          loading: false,
        });
      } catch (e) {
        set({ loading: false, error: describeError(e) });
      }
    },

    async loadOlder() {
      const { messages, loading, hasOlder } = get();
      if (loading || !hasOlder) return;
      const oldest = messages[0];
      set({ loading: true, error: null });
      try {
        const page = await hub.call(
          "messages.list",
          oldest ? { before: oldest.id, limit: pageSize } : { limit: pageSize },
        );
        set({
          messages: mergeMessages(get().messages, page.messages),
          hasOlder: page.messages.length === pageSize,
          loading: false,
        });
      } catch (e) {
        set({ loading: false, error: describeError(e) });
      }
    },

    async send(text) {
      const trimmed = text.trim();
      if (trimmed === "" || get().sending) return false;
      if (trimmed.length > MESSAGE_TEXT_MAX) {
        // The composer says so before this; never let the hub answer with a schema error.
        set({
          error: `This message is ${trimmed.length.toLocaleString()} characters; the limit is ${MESSAGE_TEXT_MAX.toLocaleString()}.`,
        });
        return false;
      }
      set({ sending: true, error: null });
      try {
        const { message } = await hub.call("messages.send", { text: trimmed });
        set({ messages: mergeMessages(get().messages, [message]), sending: false });
        return true;
      } catch (e) {
        set({ sending: false, error: describeError(e) });
        return false;
      }
    },

    async runSearch(query) {
      const q = query.trim();
      if (q === "") return get().clearSearch();
      set({ search: { query: q, results: [], loading: true }, error: null });
      try {
        const { messages } = await hub.call("messages.search", { query: q, limit: pageSize });
        // A later search may have replaced this one while it ran.
        if (get().search?.query === q) set({ search: { query: q, results: messages, loading: false } });
      } catch (e) {
        if (get().search?.query === q)
          set({ search: { query: q, results: [], loading: false }, error: describeError(e) });
      }
    },

    clearSearch() {
      set({ search: null });
    },

    handlePush(push) {
      if (push.t !== "message.new") return;
      const parsed = messageNewSchema.safeParse(push.d);
      if (parsed.success) set({ messages: mergeMessages(get().messages, [parsed.data.message]) });
    },
  }));
}
