import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mountAppFiles } from "./static-files";

// Hono's own request path (app.request) runs the real middleware against real files.
let outside: string;
let dir: string;
let app: Hono;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), "nlink-static-"));
  dir = join(outside, "app");
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dir, "sw.js"), "self.x = 1");
  writeFileSync(join(dir, "assets", "main-abc.js"), "console.log(1)");
  writeFileSync(join(dir, "manifest.webmanifest"), "{}");
  writeFileSync(join(outside, "secret.txt"), "root:x:0:0");
  app = new Hono();
  mountAppFiles(app, dir);
});
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe("mountAppFiles", () => {
  it("serves files with their content type, the CSP, and cache headers by kind", async () => {
    const js = await app.request("/app/assets/main-abc.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect(js.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(js.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await js.text()).toBe("console.log(1)");
    expect((await app.request("/app/manifest.webmanifest")).headers.get("content-type")).toContain(
      "application/manifest+json",
    );
    for (const path of ["/app/", "/app/sw.js"])
      expect((await app.request(path)).headers.get("cache-control")).toBe("no-cache");
  });

  it("answers client-side routes with index.html, unknown files with 404", async () => {
    const route = await app.request("/app/pair/step-2");
    expect(route.status).toBe(200);
    expect(await route.text()).toContain("<title>app</title>");
    expect(route.headers.get("cache-control")).toBe("no-cache");
    expect((await app.request("/app/missing.js")).status).toBe(404);
    expect((await app.request("/app")).status).toBe(301);
  });

  it("cannot be walked out of its folder", async () => {
    for (const path of [
      "/app/..%2fsecret.txt",
      "/app/%2e%2e/secret.txt",
      "/app/..%5csecret.txt",
      "/app//secret.txt",
      "/app/assets/..%2f..%2fsecret.txt",
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain("root:");
    }
  });
});
