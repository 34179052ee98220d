import { create } from "zustand";
import type { Conversation, Message } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

/** Messages fetched per page of a conversation. */
export const MESSAGE_PAGE = 100;
/** Most search results shown. */
export const SEARCH_LIMIT = 50;

interface MessagesState {
  conversations: Conversation[];
  current: string | null;
  /** Oldest first, for display. */
  messages: Message[];
  query: string;
  results: Message[] | null;
  load(): Promise<void>;
  select(conversation: string): Promise<void>;
  send(text: string): Promise<boolean>;
  search(query: string): Promise<void>;
  clearSearch(): void;
  onMessage(m: Message): void;
}

export const useMessages = create<MessagesState>()((set, get) => ({
  conversations: [],
  current: null,
  messages: [],
  query: "",
  results: null,
  load: async () => {
    try {
      const conversations = await hub().listConversations();
      set({ conversations });
      const current = get().current ?? conversations[0]?.id ?? null;
      if (current) await get().select(current);
    } catch (err) {
      report(err);
    }
  },
  select: async (conversation) => {
    set({ current: conversation });
    try {
      const page = await hub().listMessages({ conversation, limit: MESSAGE_PAGE });
      if (get().current === conversation) set({ messages: [...page].reverse() });
    } catch (err) {
      report(err);
    }
  },
  send: async (text) => {
    try {
      const m = await hub().sendMessage({ text, conversation: get().current ?? undefined });
      get().onMessage(m);
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  },
  search: async (query) => {
    set({ query });
    if (query.trim() === "") {
      set({ results: null });
      return;
    }
    try {
      const results = await hub().searchMessages({ query, limit: SEARCH_LIMIT });
      if (get().query === query) set({ results });
    } catch (err) {
      report(err);
    }
  },
  clearSearch: () => set({ query: "", results: null }),
  onMessage: (m) =>
    set((s) => {
      const known = s.conversations.some((c) => c.id === m.conversation);
      const conversations = known
        ? s.conversations.map((c) =>
            c.id === m.conversation ? { ...c, lastTs: m.ts, lastText: m.text, messageCount: c.messageCount + 1 } : c,
          )
        : [
            { id: m.conversation, title: m.conversation, lastTs: m.ts, lastText: m.text, messageCount: 1 },
            ...s.conversations,
          ];
      const current = s.current ?? m.conversation;
      const mine = current === m.conversation && !s.messages.some((x) => x.id === m.id);
      return { conversations, current, messages: mine ? [...s.messages, m] : s.messages };
    }),
}));
