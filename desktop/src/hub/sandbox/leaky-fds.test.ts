import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * A hub started by a parent that leaked a file descriptor (here /dev/null at fd 200;
 * a leaked Unix socket would be the danger) must not hand it to a sandboxed task. The hub
 * side runs in a child node started by bash with fd 200 open without close-on-exec, as a
 * careless parent would leave it (node itself marks low inherited fds close-on-exec,
 * and its own spawn sets the flag, so neither would do for this test).
 */
const script = fileURLToPath(new URL("./leaky-fds.fixture.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../../node_modules/tsx/dist/loader.mjs", import.meta.url));

describe("inherited file descriptors", () => {
  it("are closed before the sandbox starts", async () => {
    const child = spawn("/bin/bash", ["-c", '"$0" --import "$1" "$2" 200</dev/null', process.execPath, tsx, script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (out += d));
    const code = await new Promise((r) => child.on("close", r));
    expect(out).toContain("hub sees fd 200: yes");
    expect(out).toMatch(/inside: [0-9 ]+\n/);
    const inside = /inside: ([0-9 ]+)\n/.exec(out)![1].trim().split(/\s+/);
    expect(inside).not.toContain("200");
    expect(code).toBe(0);
  });
});
