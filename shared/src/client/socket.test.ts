import { describe, expect, it } from "vitest";
import { type SocketHandlers, standardSocketFactory, type StandardWebSocket } from "./socket";

class FakeWebSocket implements StandardWebSocket {
  static last: FakeWebSocket | null = null;
  sent: string[] = [];
  readyState = 0;
  closed: [number | undefined, string | undefined] | null = null;
  onopen: ((ev: never) => void) | null = null;
  onmessage: ((ev: never) => void) | null = null;
  onclose: ((ev: never) => void) | null = null;
  onerror: ((ev: never) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.last = this;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closed = [code, reason];
  }
  fire(name: "onopen" | "onmessage" | "onclose" | "onerror", ev: unknown) {
    if (name === "onopen") this.readyState = 1;
    if (name === "onclose") this.readyState = 3;
    (this[name] as ((e: unknown) => void) | null)?.(ev);
  }
}

describe("standardSocketFactory", () => {
  it("adapts the standard WebSocket surface, passing text frames only", () => {
    const seen: string[] = [];
    const handlers: SocketHandlers = {
      open: () => seen.push("open"),
      message: (t) => seen.push(`message:${t}`),
      close: (code, reason) => seen.push(`close:${code}:${reason}`),
      error: (m) => seen.push(`error:${m}`),
    };
    const socket = standardSocketFactory(FakeWebSocket)("ws://x/v1/gateway", handlers);
    const ws = FakeWebSocket.last!;
    expect(ws.url).toBe("ws://x/v1/gateway");
    ws.fire("onopen", {});
    socket.send("while open");
    ws.fire("onmessage", { data: "hello" });
    ws.fire("onmessage", { data: new Uint8Array([1]) });
    ws.fire("onerror", {});
    ws.fire("onclose", { code: 4009, reason: "timed out" });
    socket.send("x");
    socket.close(1000, "bye");
    expect(seen).toEqual(["open", "message:hello", "error:socket error", "close:4009:timed out"]);
    // Written after the close: dropped here, not handed to a closed socket.
    expect(ws.sent).toEqual(["while open"]);
    expect(ws.closed).toEqual([1000, "bye"]);
  });
});
