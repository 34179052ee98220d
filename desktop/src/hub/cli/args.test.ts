import { describe, expect, it } from "vitest";
import { CliUsageError, DEFAULT_RELAY_PORT, parseArgs } from "./args";

describe("parseArgs", () => {
  it("fills defaults from the environment", () => {
    const a = parseArgs([], { NLINK_DATA: "/tmp/x" });
    expect(a).toMatchObject({
      dataDir: "/tmp/x",
      relay: undefined,
      forgetRelay: false,
      pair: false,
      port: DEFAULT_RELAY_PORT,
      host: "0.0.0.0",
      web: false,
    });
  });

  it("reads every option", () => {
    const a = parseArgs(
      [
        "--data",
        "/d",
        "--relay",
        "wss://r.example/v1/gateway",
        "--name",
        "Box",
        "--pair",
        "--approvals",
        "phone",
        "--port",
        "0",
        "--web",
      ],
      {},
    );
    expect(a).toMatchObject({
      dataDir: "/d",
      relay: "wss://r.example/v1/gateway",
      name: "Box",
      pair: true,
      approvals: "phone",
      port: 0,
      web: true,
    });
  });

  it("takes a relay base URL and adds the gateway path; http(s) means ws(s)", () => {
    expect(parseArgs(["--relay", "ws://10.0.0.5:8787"], {}).relay).toBe("ws://10.0.0.5:8787/v1/gateway");
    expect(parseArgs(["--relay", "wss://relay.example/nlink/"], {}).relay).toBe("wss://relay.example/nlink/v1/gateway");
    expect(parseArgs(["--relay", "https://relay.example"], {}).relay).toBe("wss://relay.example/v1/gateway");
    expect(parseArgs(["--relay", "ws://h:1/v1/gateway/"], {}).relay).toBe("ws://h:1/v1/gateway");
    expect(parseArgs(["--relay", "embedded"], {}).relay).toBe("embedded");
    expect(parseArgs(["--forget-relay"], {}).forgetRelay).toBe(true);
  });

  it("reads the web UI flags and the devices subcommands", () => {
    expect(parseArgs(["--web", "--web-port", "4000", "--rotate-web-token", "--no-build"], {})).toMatchObject({
      webPort: 4000,
      rotateWebToken: true,
      build: false,
    });
    expect(parseArgs(["devices", "list", "--data", "/d"], {})).toMatchObject({
      dataDir: "/d",
      command: { kind: "devices", devices: { op: "list" } },
    });
    expect(parseArgs(["devices", "grant", "Pixel", "Terminal", "doc"], {}).command).toEqual({
      kind: "devices",
      devices: { op: "grant", device: "Pixel", caps: ["terminal", "doc"] },
    });
    expect(parseArgs(["devices", "rename", "abc", "My", "Phone"], {}).command).toEqual({
      kind: "devices",
      devices: { op: "rename", device: "abc", name: "My Phone" },
    });
    expect(parseArgs(["devices", "revoke", "abc"], {}).command).toEqual({
      kind: "devices",
      devices: { op: "revoke", device: "abc" },
    });
    // base64url device ids may start with "-" (one in 64): they are operands, also after `--`.
    expect(parseArgs(["devices", "rename", "-Xyz12", "Old", "--data", "/d"], {})).toMatchObject({
      dataDir: "/d",
      command: { devices: { op: "rename", device: "-Xyz12", name: "Old" } },
    });
    expect(parseArgs(["devices", "revoke", "--", "-Xyz12"], {}).command).toEqual({
      kind: "devices",
      devices: { op: "revoke", device: "-Xyz12" },
    });
    expect(() => parseArgs(["-Xyz12"], {})).toThrow("unknown option -Xyz12");
    // An id that contains "h" is not -h, and is kept whole (node's parser splits "-ahX" into -a -h -X).
    expect(parseArgs(["devices", "revoke", "-ahX"], {})).toMatchObject({
      help: false,
      command: { devices: { op: "revoke", device: "-ahX" } },
    });
    expect(parseArgs(["devices", "revoke", "--abc"], {}).command).toEqual({
      kind: "devices",
      devices: { op: "revoke", device: "--abc" },
    });
  });

  it("takes --option=value, and -h for help", () => {
    expect(parseArgs(["--data=/d", "--port=0"], {})).toMatchObject({ dataDir: "/d", port: 0 });
    expect(parseArgs(["-h"], {}).help).toBe(true);
  });

  it.each([
    [["--bogus"], "unknown option"],
    [["--relay", "ftp://x"], "ws://"],
    [["--relay", "not a url"], "ws://"],
    [["frobnicate"], "unknown command"],
    [["devices"], "one of"],
    [["devices", "grant", "abc"], "at least one capability"],
    [["devices", "grant", "abc", "root"], "no capability"],
    [["devices", "revoke"], "needs a device"],
    [["--approvals", "nobody"], "one of"],
    [["--port", "70000"], "0 to 65535"],
    [["--data"], "needs a value"],
    [["--name", "--pair"], "needs a value"],
    [["--pair=yes"], "takes no value"],
    [["-x"], "unknown option -x"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(CliUsageError);
    expect(() => parseArgs(argv, {})).toThrow(message);
  });
});
