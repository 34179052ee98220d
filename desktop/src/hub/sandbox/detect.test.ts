import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { detectSandbox } from "./detect";
import { sandboxInfo } from "./index";

const log = pino({ level: "silent" });
const dir = mkdtempSync(join("/var/tmp", "nl-detect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("detectSandbox", () => {
  it("finds a working bubblewrap here (CI installs it)", async () => {
    const s = await detectSandbox({ log });
    expect(s).toEqual({
      kind: "bubblewrap",
      available: true,
      reason: "Low-risk commands run in a bubblewrap sandbox: read-only files, no network, private /tmp",
    });
    expect(sandboxInfo({ ...s, extra: 1 } as typeof s)).toEqual(s);
  });

  it("reports a bwrap that cannot create namespaces as unavailable, with the cause", async () => {
    // A stand-in for bwrap under Ubuntu's AppArmor restriction, which fails like this.
    const fake = join(dir, "bwrap");
    writeFileSync(fake, "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
    chmodSync(fake, 0o755);
    const s = await detectSandbox({ log, settings: { bwrapPath: fake } });
    expect(s).toEqual({
      kind: "bubblewrap",
      available: false,
      reason:
        "No sandbox: bwrap is installed but cannot start a sandbox here (setting up uid map: Permission denied); every command asks for approval",
    });
  });

  it("reports a bwrap that does not apply the seccomp filter as unavailable", async () => {
    const fake = join(dir, "bwrap-noseccomp");
    // Runs the command without any sandbox: the probe sees no seccomp filter.
    writeFileSync(fake, '#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done; shift; exec "$@"\n');
    chmodSync(fake, 0o755);
    const s = await detectSandbox({ log, settings: { bwrapPath: fake } });
    expect(s.available).toBe(false);
  });

  it("has no sandbox on other platforms", async () => {
    expect(await detectSandbox({ log, platform: "win32" })).toEqual({
      kind: "none",
      available: false,
      reason: "No sandbox: there is no supported sandbox on win32; every command asks for approval",
    });
  });
});
