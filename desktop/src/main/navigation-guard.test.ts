import { describe, expect, it } from "vitest";
import { allowNavigation, allowPermission, isAppUrl, windowOpenAction } from "./navigation-guard";

const fileApp = "file:///opt/Neural%20Link/resources/app.asar/out/renderer/index.html";
const devApp = "http://localhost:5173/";

describe("navigation guard", () => {
  it("allows only the app page itself", () => {
    expect(allowNavigation(`${fileApp}#x`, fileApp)).toBe(true);
    expect(allowNavigation("file:///etc/passwd", fileApp)).toBe(false);
    expect(allowNavigation("https://example.com/", fileApp)).toBe(false);
    expect(allowNavigation("http://localhost:5173/other", devApp)).toBe(true);
    expect(allowNavigation("http://localhost:5174/", devApp)).toBe(false);
    expect(allowNavigation("javascript:alert(1)", devApp)).toBe(false);
    expect(isAppUrl("not a url", fileApp)).toBe(false);
  });
  it("denies every window.open", () => {
    expect(windowOpenAction()).toEqual({ action: "deny" });
  });
  it("denies permissions except clipboard writes from the app", () => {
    expect(allowPermission("clipboard-sanitized-write", fileApp, fileApp)).toBe(true);
    expect(allowPermission("clipboard-sanitized-write", "https://evil.example/", fileApp)).toBe(false);
    for (const p of ["media", "geolocation", "notifications", "clipboard-read", "openExternal", "fullscreen"]) {
      expect(allowPermission(p, fileApp, fileApp)).toBe(false);
    }
  });
});
