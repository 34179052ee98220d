import { describe, expect, it } from "vitest";
import { RENDERER_CSP, withCspMeta } from "./content-security-policy";
import { mainWindowOptions, secureWebPreferences } from "./window-options";

describe("window options", () => {
  it("sandbox, context isolation, no Node in the renderer", () => {
    const wp = secureWebPreferences("/app/out/preload/index.cjs");
    expect(wp).toMatchObject({
      preload: "/app/out/preload/index.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(mainWindowOptions("/p").webPreferences).toEqual(secureWebPreferences("/p"));
    expect(mainWindowOptions("/p").show).toBe(false);
  });
});

describe("content security policy", () => {
  const directives = new Map(RENDERER_CSP.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
  it("allows no inline or remote script and no eval", () => {
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(RENDERER_CSP).not.toContain("unsafe-eval");
    expect(
      directives
        .get("connect-src")
        ?.every((s) => s === "'self'" || s.startsWith("ws://127.0.0.1:") || s.startsWith("ws://[::1]:")),
    ).toBe(true);
  });
  it("goes into <head> before any script", () => {
    const html = withCspMeta("<html><head><script src=x></script></head></html>");
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<script"));
  });
});
