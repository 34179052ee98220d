import { describe, expect, it } from "vitest";
import { preloadPath, resolveAppUrl } from "./app-url";

describe("resolveAppUrl", () => {
  it("loads the built page by file URL", () => {
    expect(resolveAppUrl("/opt/nl/out/main", {}, true)).toBe("file:///opt/nl/out/renderer/index.html");
    expect(preloadPath("/opt/nl/out/main")).toBe("/opt/nl/out/preload/index.cjs");
  });
  it("uses the dev server only when unpackaged and on loopback", () => {
    expect(resolveAppUrl("/x/out/main", { ELECTRON_RENDERER_URL: "http://localhost:5173" }, false)).toBe(
      "http://localhost:5173",
    );
    expect(resolveAppUrl("/x/out/main", { ELECTRON_RENDERER_URL: "http://localhost:5173" }, true)).toBe(
      "file:///x/out/renderer/index.html",
    );
    expect(resolveAppUrl("/x/out/main", { ELECTRON_RENDERER_URL: "https://evil.example" }, false)).toBe(
      "file:///x/out/renderer/index.html",
    );
    expect(resolveAppUrl("/x/out/main", { ELECTRON_RENDERER_URL: "http://localhost.evil.example/" }, false)).toBe(
      "file:///x/out/renderer/index.html",
    );
  });
});

describe("hubDataDir", () => {
  it("shares the headless hub's directory", async () => {
    const { hubDataDir } = await import("./hub-data-dir");
    expect(hubDataDir({}, "/home/ada")).toBe("/home/ada/.neural-link");
    expect(hubDataDir({ NLINK_DATA: "/srv/nl" }, "/home/ada")).toBe("/srv/nl");
  });
});
