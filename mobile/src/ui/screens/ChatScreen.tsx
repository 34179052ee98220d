import { type FormEvent, useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { type ChatMessage, MESSAGE_TEXT_MAX } from "@neural-link/shared/app";
import { deviceIdOf } from "@neural-link/shared/crypto";
import { authorOf, type ChatState } from "../../stores/chat-store";
import { MOBILE_SETTINGS } from "../../settings";
import { useAppStores } from "../app-context";
import { NoDesktop } from "./NoDesktop";

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" });

function MessageItem({ m, mine }: { m: ChatMessage; mine: boolean }) {
  return (
    <li className={`message ${mine ? "mine" : "theirs"}`}>
      <p className="message-text">{m.text}</p>
      <time className="message-time" dateTime={new Date(m.ts).toISOString()}>
        {authorOf(m, mine)} · {timeFormat.format(m.ts)}
      </time>
    </li>
  );
}

function SearchBox({ chat, myDevice }: { chat: StoreApi<ChatState>; myDevice: string }) {
  const [query, setQuery] = useState("");
  const search = useStore(chat, (s) => s.search);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void chat.getState().runSearch(query);
  };
  return (
    <>
      <form className="row" role="search" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="chat-search">
          Search messages
        </label>
        <input
          id="chat-search"
          type="search"
          placeholder="Search messages"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit">Search</button>
        {search && (
          <button type="button" onClick={() => (setQuery(""), chat.getState().clearSearch())}>
            Clear
          </button>
        )}
      </form>
      {search && (
        <section aria-label="Search results" className="search-results">
          <p role="status">
            {search.loading
              ? "Searching…"
              : `${search.results.length} result${search.results.length === 1 ? "" : "s"} for “${search.query}”`}
          </p>
          <ul className="messages">
            {search.results.map((m) => (
              <MessageItem key={m.id} m={m} mine={m.sender === myDevice} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** Characters as the shared schema counts them (UTF-16 code units of the trimmed text, which is what is sent). */
function messageLength(draft: string): number {
  return draft.trim().length;
}

/** The composer's live counter: shown near the limit, red and explicit past it. */
function LengthCounter({ length }: { length: number }) {
  const over = length - MESSAGE_TEXT_MAX;
  const shown = length >= MOBILE_SETTINGS.composerCounterFrom;
  return (
    <p id="chat-counter" className={`composer-counter${over > 0 ? " error" : ""}`} aria-live="polite" hidden={!shown}>
      {over > 0
        ? `Too long to send: ${length.toLocaleString()} of at most ${MESSAGE_TEXT_MAX.toLocaleString()} characters. Remove ${over.toLocaleString()}.`
        : `${length.toLocaleString()} / ${MESSAGE_TEXT_MAX.toLocaleString()} characters`}
    </p>
  );
}

/** Chat with the hub: history paged backwards, live messages, send, search. */
export function ChatScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <Chat chat={session.chat} />;
}

function Chat({ chat }: { chat: StoreApi<ChatState> }) {
  const { app } = useAppStores();
  const identity = useStore(app, (s) => s.identity);
  const myDevice = identity ? deviceIdOf(identity.signPublicKey) : "";
  const state = useStore(chat);
  const [draft, setDraft] = useState("");
  const endRef = useRef<HTMLLIElement>(null);
  const count = state.messages.length;
  const newest = state.messages.at(-1)?.id;

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [newest]);

  const length = messageLength(draft);
  const tooLong = length > MESSAGE_TEXT_MAX;
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (await chat.getState().send(draft)) setDraft("");
  };

  return (
    <div className="chat">
      <SearchBox chat={chat} myDevice={myDevice} />
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      <ul className="messages" aria-label="Messages" aria-live="polite">
        <li className="messages-top">
          {state.hasOlder ? (
            <button type="button" onClick={() => void chat.getState().loadOlder()} disabled={state.loading}>
              {state.loading ? "Loading…" : "Load older messages"}
            </button>
          ) : (
            <span className="muted">{count === 0 ? "No messages yet. Say hello." : "Start of the conversation"}</span>
          )}
        </li>
        {state.messages.map((m) => (
          <MessageItem key={m.id} m={m} mine={m.sender === myDevice} />
        ))}
        <li ref={endRef} aria-hidden="true" />
      </ul>
      <form className="composer" onSubmit={send}>
        <div className="row">
          <label className="visually-hidden" htmlFor="chat-input">
            Message
          </label>
          <textarea
            id="chat-input"
            rows={1}
            placeholder="Message the desktop"
            value={draft}
            aria-invalid={tooLong}
            aria-describedby="chat-counter"
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" disabled={state.sending || draft.trim() === "" || tooLong}>
            {state.sending ? "Sending…" : "Send"}
          </button>
        </div>
        <LengthCounter length={length} />
      </form>
    </div>
  );
}
