import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_BUILT, webUiFiles } from "./static-files";

let outside: string;
let server: Server;
let origin: string;

/** A real loopback server over real files; node:http, since fetch normalises `..` away before sending. */
function get(
  path: string,
  method = "GET",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function serve(root: string): Promise<{ server: Server; origin: string }> {
  let at = "";
  const web = webUiFiles(root, () => at);
  const s = createServer((req, res) => void web(req, res));
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  at = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { server: s, origin: at };
}

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), "nlink-webui-"));
  const root = join(outside, "web");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><title>hub</title>");
  writeFileSync(join(root, "assets", "app.js"), "console.log(1)");
  writeFileSync(join(root, "assets", "app.css"), "body{}");
  writeFileSync(join(outside, "secret.txt"), "root:x:0:0");
  ({ server, origin } = await serve(root));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(outside, { recursive: true, force: true });
});

describe("webUiFiles", () => {
  it("serves files with their content type and the page's CSP for this origin, never cached", async () => {
    const js = await get("/assets/app.js");
    expect(js.status).toBe(200);
    expect(js.headers["content-type"]).toContain("javascript");
    expect(js.body).toBe("console.log(1)");
    expect((await get("/assets/app.css")).headers["content-type"]).toContain("text/css");
    const page = await get("/");
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain(`connect-src 'self' ${origin.replace("http", "ws")}`);
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["cache-control"]).toBe("no-store");
  });

  it("answers any other path with index.html, HEAD without a body, other methods with 405", async () => {
    expect((await get("/settings/devices")).body).toContain("<title>hub</title>");
    const head = await get("/assets/app.js", "HEAD");
    expect([head.status, head.body]).toEqual([200, ""]);
    const post = await get("/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("cannot be walked out of its root", async () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/..%5csecret.txt",
      "//secret.txt",
      "/assets/../../secret.txt",
    ]) {
      const res = await get(path);
      expect(res.body, path).not.toContain("root:");
    }
  });

  it("says how to build the UI when it is not built", async () => {
    const empty = mkdtempSync(join(tmpdir(), "nlink-webui-empty-"));
    const s = await serve(empty);
    try {
      const res = await new Promise<{ status: number; body: string }>((resolve) =>
        request(`${s.origin}/`, (r) => {
          let body = "";
          r.on("data", (c: Buffer) => (body += c.toString()));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
        }).end(),
      );
      expect(res).toEqual({ status: 404, body: NOT_BUILT });
    } finally {
      await new Promise((r) => s.server.close(r));
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
