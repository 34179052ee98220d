import { describe, expect, it } from "vitest";
import { CliUsageError, DEFAULT_RELAY_PORT, parseArgs } from "./args";

describe("parseArgs", () => {
  it("fills defaults from the environment", () => {
    const a = parseArgs([], { NLINK_DATA: "/tmp/x" });
    expect(a).toMatchObject({ dataDir: "/tmp/x", relay: undefined, pair: false, port: DEFAULT_RELAY_PORT, host: "0.0.0.0", web: false });
  });

  it("reads every option", () => {
    const a = parseArgs(["--data", "/d", "--relay", "wss://r.example/v1/gateway", "--name", "Box", "--pair", "--approvals", "phone", "--port", "0", "--web"], {});
    expect(a).toMatchObject({ dataDir: "/d", relay: "wss://r.example/v1/gateway", name: "Box", pair: true, approvals: "phone", port: 0, web: true });
  });

  it.each([
    [["--bogus"], "unknown option"],
    [["--relay", "http://x"], "ws://"],
    [["--approvals", "nobody"], "one of"],
    [["--port", "70000"], "0 to 65535"],
    [["--data"], "needs a value"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(CliUsageError);
    expect(() => parseArgs(argv, {})).toThrow(message);
  });
});
