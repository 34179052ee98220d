import { useEffect, useState, type FormEvent } from "react";
import type { Message } from "../../../hub/api";
import { useDevices } from "../stores/devices-store";
import { useMessages } from "../stores/messages-store";

/** Element id Ctrl+K focuses. */
export const SEARCH_INPUT_ID = "message-search";

function MessageItem({ m }: { m: Message }) {
  const device = useDevices((s) => s.devices.find((d) => d.id === m.sender));
  const senderName = m.sender === "desktop" ? "You (desktop)" : (device?.name ?? m.sender.slice(0, 8));
  return (
    <li className="message">
      <span className="muted">
        {senderName} · {new Date(m.ts).toLocaleString()}
      </span>
      <p>{m.text}</p>
    </li>
  );
}

export function MessagesScreen() {
  const s = useMessages();
  const [draft, setDraft] = useState("");
  useEffect(() => {
    void useMessages.getState().load();
    void useDevices.getState().load();
  }, []);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim() === "") return;
    if (await s.send(draft)) setDraft("");
  };

  return (
    <section aria-labelledby="messages-h" className="messages-screen">
      <h1 id="messages-h">Messages</h1>
      <search>
        <label htmlFor={SEARCH_INPUT_ID} className="sr-only">
          Search messages
        </label>
        <input
          id={SEARCH_INPUT_ID}
          type="search"
          placeholder="Search messages (Ctrl+K)"
          value={s.query}
          onChange={(e) => void s.search(e.target.value)}
          onKeyDown={(e) => e.key === "Escape" && s.clearSearch()}
        />
      </search>
      {s.results !== null ? (
        <div aria-live="polite">
          <h2>
            {s.results.length} result{s.results.length === 1 ? "" : "s"} for “{s.query}”
          </h2>
          <ul className="message-list" aria-label="Search results">
            {s.results.map((m) => (
              <MessageItem key={m.id} m={m} />
            ))}
          </ul>
        </div>
      ) : (
        <div className="messages-body">
          <nav aria-label="Conversations">
            <ul className="conversations">
              {s.conversations.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    aria-current={c.id === s.current ? "true" : undefined}
                    onClick={() => void s.select(c.id)}
                  >
                    <strong>{c.title}</strong>
                    <span className="muted">{c.lastText ?? ""}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="thread">
            <ul className="message-list" aria-label="Messages" aria-live="polite">
              {s.messages.map((m) => (
                <MessageItem key={m.id} m={m} />
              ))}
            </ul>
            <form onSubmit={(e) => void send(e)} className="composer">
              <label htmlFor="compose" className="sr-only">
                New message
              </label>
              <input
                id="compose"
                placeholder="Write a message"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
              />
              <button type="submit" className="primary">
                Send
              </button>
            </form>
          </div>
        </div>
      )}
    </section>
  );
}
