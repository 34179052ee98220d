import { describe, expect, it } from "vitest";
import { macosProfile, sbplString } from "./macos-profile";

/** sandbox-exec cannot run here (Linux): the profile is checked as text. */
describe("macosProfile", () => {
  const p = macosProfile({
    tmp: "/private/var/folders/x/T/nl-task-1",
    writable: ["/Users/me/app"],
    hidden: ['/Users/me/Library/Application Support/neural "link"'],
  });
  const lines = p.trim().split("\n");

  it("denies by default and allows no network", () => {
    expect(lines[0]).toBe("(version 1)");
    expect(lines[1]).toBe("(deny default)");
    expect(p).not.toMatch(/\(allow network/);
    expect(lines.at(-1)).toBe("(deny network*)");
  });

  it("writes only to the temp folder, the grants and harmless devices", () => {
    const writes = lines.filter((l) => l.startsWith("(allow file-write"));
    expect(writes[0]).toBe(
      '(allow file-write* (subpath "/private/var/folders/x/T/nl-task-1") (subpath "/Users/me/app"))',
    );
    expect(writes.slice(1).every((l) => l.includes('"/dev/null"') || l.includes('#"^/dev/tty'))).toBe(true);
  });

  it("hides paths after allowing reads, with quotes escaped", () => {
    const read = lines.indexOf("(allow file-read*)");
    const hide = lines.findIndex((l) => l.startsWith("(deny file-read* file-write*"));
    expect(hide).toBeGreaterThan(read);
    expect(lines[hide]).toContain('(subpath "/Users/me/Library/Application Support/neural \\"link\\"")');
  });

  it("limits signals and process information to the sandbox", () => {
    expect(p).toContain("(allow signal (target same-sandbox))");
    expect(p).toContain("(allow process-info* (target same-sandbox))");
    expect(p).not.toMatch(/\(allow signal\)/);
  });

  it("refuses paths with control characters", () => {
    expect(() => sbplString("/a\n(allow default)")).toThrow();
  });
});
