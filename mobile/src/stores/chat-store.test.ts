import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@neural-link/shared/app";
import { MESSAGE_TEXT_MAX, RpcError } from "@neural-link/shared/app";
import { ScriptedHub } from "../../test/scripted-hub";
import { authorOf, createChatStore, mergeMessages } from "./chat-store";

const msg = (n: number, text = `m${n}`): ChatMessage => ({
  id: `id${String(n).padStart(3, "0")}`,
  conversation: "default",
  sender: "hub",
  ts: 1000 + n,
  text,
});
/** A hub holding messages 1..total, answering pages newest first like the real one. */
function hubWith(total: number): ScriptedHub {
  const all = Array.from({ length: total }, (_, i) => msg(i + 1));
  return new ScriptedHub()
    .on("messages.list", ({ before, limit = 50 }) => {
      const older = before ? all.filter((m) => m.id < before) : all;
      return { messages: older.slice(-limit).reverse() };
    })
    .on("messages.send", ({ text }) => {
      const m = msg(all.length + 1, text);
      all.push(m);
      return { message: m };
    })
    .on("messages.search", ({ query }) => ({ messages: all.filter((m) => m.text.includes(query)).reverse() }));
}

describe("chat store", () => {
  it("pages history backwards until the start, keeping it oldest first", async () => {
    const hub = hubWith(7);
    const chat = createChatStore(hub, 3);
    await chat.getState().loadLatest();
    expect(chat.getState().messages.map((m) => m.text)).toEqual(["m5", "m6", "m7"]);
    await chat.getState().loadOlder();
    await chat.getState().loadOlder();
    expect(chat.getState().messages.map((m) => m.text)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    expect(chat.getState().hasOlder).toBe(false);
    await chat.getState().loadOlder(); // nothing older: no call
    expect(hub.callsOf("messages.list")).toEqual([
      { limit: 3 },
      { before: "id005", limit: 3 },
      { before: "id002", limit: 3 },
    ]);
  });

  it("sends trimmed text, ignores blank text, and shows a live push once", async () => {
    const hub = hubWith(1);
    const chat = createChatStore(hub, 10);
    expect(await chat.getState().send("   ")).toBe(false);
    expect(await chat.getState().send("  hello  ")).toBe(true);
    expect(hub.callsOf("messages.send")).toEqual([{ text: "hello" }]);
    const sent = chat.getState().messages.at(-1)!;
    chat.getState().handlePush({ t: "message.new", d: { message: sent } }); // the hub echoes our own message
    chat.getState().handlePush({ t: "message.new", d: { message: msg(50, "from desktop") } });
    chat.getState().handlePush({ t: "message.new", d: { message: { id: 3 } } }); // malformed: ignored
    expect(chat.getState().messages.map((m) => m.text)).toEqual(["hello", "from desktop"]);
  });

  it("searches, and words a failure instead of throwing", async () => {
    const hub = hubWith(5);
    const chat = createChatStore(hub, 10);
    await chat.getState().runSearch(" m3 ");
    expect(chat.getState().search).toEqual({ query: "m3", results: [msg(3)], loading: false });
    chat.getState().clearSearch();
    expect(chat.getState().search).toBeNull();
    hub.on("messages.search", () => {
      throw new RpcError("forbidden", "no chat");
    });
    await chat.getState().runSearch("x");
    expect(chat.getState().error).toMatch(/not allowed/);
  });

  it("merges by id and orders by time", () => {
    expect(mergeMessages([msg(2), msg(1)], [msg(1, "edited"), msg(3)]).map((m) => m.text)).toEqual([
      "edited",
      "m2",
      "m3",
    ]);
  });

  it("names each message's real author: you, the hub's name for it, or (older hub) the desktop", () => {
    const base = { id: "m1", conversation: "default", ts: 1, text: "hi" };
    expect(authorOf({ ...base, sender: "me", sender_name: "Pixel" }, true)).toBe("You");
    expect(authorOf({ ...base, sender: "p2", sender_name: "Ana's phone" }, false)).toBe("Ana's phone");
    expect(authorOf({ ...base, sender: "desktop" }, false)).toBe("Desktop");
    expect(authorOf({ ...base, sender: "p2" }, false)).toBe("Another device");
  });

  it("refuses a message over the limit in words, without calling the hub", async () => {
    const hub = new ScriptedHub().on("messages.send", () => {
      throw new Error("must not be called");
    });
    const chat = createChatStore(hub, 10);
    expect(await chat.getState().send("x".repeat(MESSAGE_TEXT_MAX + 1))).toBe(false);
    expect(chat.getState().error).toBe(
      `This message is ${(MESSAGE_TEXT_MAX + 1).toLocaleString()} characters; the limit is ${MESSAGE_TEXT_MAX.toLocaleString()}.`,
    );
    expect(hub.callsOf("messages.send")).toEqual([]);
  });
});
