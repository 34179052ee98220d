import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GatewayClient } from "../../test/gateway-client";
import { dropSchema, randomSchema, TEST_DATABASE_URL } from "../../test/test-databases";

const relayDir = fileURLToPath(new URL("../..", import.meta.url));

describe("the relay program", () => {
  const schema = randomSchema();
  afterAll(() => dropSchema(schema));

  it("prints its address, and on SIGTERM sends RECONNECT, closes and exits 0", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/main.ts", "--port", "0", "--host", "127.0.0.1", "--log-level", "warn"],
      {
        cwd: relayDir,
        env: {
          ...process.env,
          NLINK_RELAY_DB: TEST_DATABASE_URL,
          NLINK_RELAY_DB_SCHEMA: schema,
          NLINK_RELAY_APP_DIR: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const m = /relay listening on (ws:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`relay exited early: ${out}`)));
    });
    const client = await GatewayClient.connect(url);
    await client.auth();
    child.kill("SIGTERM");
    expect((await client.next((m) => m.op === 7)).op).toBe(7);
    expect((await client.closed).code).toBe(1001);
    expect(await exited).toBe(0);
  });

  it("prints help and exits 0; exits 2 on a bad flag", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
          cwd: relayDir,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.on("exit", (code) => resolve({ code, out }));
      });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("NLINK_RELAY_PORT");
    const bad = await run(["--bogus"]);
    expect(bad.code).toBe(2);
  });
});
