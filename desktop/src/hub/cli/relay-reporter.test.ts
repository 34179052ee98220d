import { describe, expect, it } from "vitest";
import { RelayReporter, type LinkStatus } from "./relay-reporter";

const offline = (lastError: string): LinkStatus => ({
  state: "offline",
  lastError,
  lastCloseCode: 1006,
  url: "ws://r:1/v1/gateway",
});

describe("RelayReporter", () => {
  it("reports the first failure at once with its cause, then only changes of cause and powers of two", () => {
    const lines: string[] = [];
    const r = new RelayReporter((l) => lines.push(l));
    for (let i = 0; i < 9; i++) r.onStatus(offline("refused: nothing is listening at that address and port"));
    r.onStatus(offline("HTTP 302 (redirect) — is this the gateway path?"));
    expect(lines).toEqual([
      "Cannot reach the relay at ws://r:1/v1/gateway: refused: nothing is listening at that address and port. Retrying...",
      "Still cannot reach the relay at ws://r:1/v1/gateway after 2 attempts: refused: nothing is listening at that address and port. Retrying...",
      "Still cannot reach the relay at ws://r:1/v1/gateway after 4 attempts: refused: nothing is listening at that address and port. Retrying...",
      "Still cannot reach the relay at ws://r:1/v1/gateway after 8 attempts: refused: nothing is listening at that address and port. Retrying...",
      "Still cannot reach the relay at ws://r:1/v1/gateway: HTTP 302 (redirect) — is this the gateway path?. Retrying...",
    ]);
  });

  it("says connected once, a loss with its cause, and connected again", () => {
    const lines: string[] = [];
    const r = new RelayReporter((l) => lines.push(l));
    r.onStatus({ state: "online", lastError: null, lastCloseCode: null, url: null });
    r.onStatus({ state: "online", lastError: null, lastCloseCode: null, url: null });
    r.onStatus(offline("closed with 1006"));
    r.onStatus({ state: "connecting", lastError: null, lastCloseCode: null, url: null });
    r.onStatus({ state: "online", lastError: null, lastCloseCode: null, url: null });
    r.onStatus({ state: "closed", lastError: "client stopped", lastCloseCode: 1000, url: null });
    expect(lines).toEqual([
      "Connected to the relay.",
      "Lost the relay (closed with 1006); reconnecting...",
      "Connected to the relay again.",
    ]);
  });

  it("says why it does not connect to a relay whose id is not the trusted one", () => {
    const lines: string[] = [];
    const r = new RelayReporter((l) => lines.push(l));
    r.onStatus({
      state: "closed",
      lastError: 'the relay at ws://r:1/v1/gateway now says it is "b", not the "a" this hub trusted',
      lastCloseCode: 1008,
      url: "ws://r:1/v1/gateway",
    });
    expect(lines).toEqual([
      'Not connecting: the relay at ws://r:1/v1/gateway now says it is "b", not the "a" this hub trusted.',
    ]);
  });
});
