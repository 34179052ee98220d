import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * If the hub itself dies (SIGKILL: no cleanup code runs), its sandboxed tasks die too:
 * the pty closes, bwrap goes, and its pid 1 takes the whole pid namespace with it,
 * including processes that called setsid. The hub runs in a child node here.
 */
const script = fileURLToPath(new URL("./hub-death.fixture.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../../node_modules/tsx/dist/loader.mjs", import.meta.url));
const living = (marker: string) =>
  execFileSync("ps", ["-eo", "stat=,args="], { encoding: "utf8" })
    .split("\n")
    // The sleeps themselves (bwrap's and the shell's own command lines mention them too).
    .filter((l) => new RegExp(`^\\s*[^Z\\s]\\S*\\s+sleep ${marker}$`).test(l)).length;

describe("a sandboxed task when the hub is killed", () => {
  it("leaves nothing behind", async () => {
    const marker = `77${process.pid % 1000}1`;
    const hub = spawn(process.execPath, ["--import", tsx, script, marker], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      hub.stdout!.setEncoding("utf8").on("data", (d: string) => d.includes("started") && resolve());
      hub.on("exit", () => reject(new Error("the hub exited before the task started")));
    });
    try {
      await expect.poll(() => living(marker), { timeout: 5000 }).toBe(3);
    } finally {
      hub.kill("SIGKILL");
    }
    await expect.poll(() => living(marker), { timeout: 5000 }).toBe(0);
  });
});
