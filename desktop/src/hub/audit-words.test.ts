import { describe, expect, it } from "vitest";
import { auditWords, type AuditLookups } from "./audit-words";
import type { AuditEntry } from "./store";

const look: AuditLookups = {
  command: async (id) => (id === "T1" ? "rm -rf build" : null),
  deviceName: async (id) => (id === "P" ? "Pixel" : `device ${id}`),
};
const entry = (action: string, subject?: string, detail?: Record<string, unknown>): AuditEntry =>
  ({
    id: "a",
    at: 1,
    actor: "P",
    action,
    ...(subject ? { subject } : {}),
    ...(detail ? { detail } : {}),
  }) as AuditEntry;

describe("auditWords", () => {
  it("names the command instead of the task id and says the decision in words", async () => {
    expect(
      await auditWords(
        entry("task.requested", "T1", { risk: "high", state: "awaiting_approval", digest: "ab12" }),
        look,
      ),
    ).toEqual({
      text: "asked to run a high-risk command (waits for approval)",
      command: "rm -rf build",
    });
    expect(await auditWords(entry("task.approved", "T1", { digest: "ab12" }), look)).toEqual({
      text: "approved",
      command: "rm -rf build",
    });
    expect((await auditWords(entry("task.rejected", "T1"), look)).text).toBe("rejected");
    expect(
      (await auditWords(entry("task.finished", "T1", { state: "failed", exitCode: 1, blocked: "write" }), look)).text,
    ).toBe("the sandbox stopped it: it tried to write a file");
    expect(
      (await auditWords(entry("task.finished", "T1", { state: "done", exitCode: 0, sandbox: "read-only" }), look)).text,
    ).toBe("finished in the sandbox (read-only)");
    expect(
      (
        await auditWords(
          entry("task.finished", "T1", { state: "failed", exitCode: null, endReason: "hub_stopped" }),
          look,
        )
      ).text,
    ).toBe("interrupted by a hub stop");
    expect((await auditWords(entry("approval.remembered", "T1"), look)).text).toMatch(/^approved for today/);
  });

  it("names devices and folders for device and workspace actions", async () => {
    expect((await auditWords(entry("workspace.granted", "P", { path: "/home/u/site" }), look)).text).toBe(
      "let Pixel change files in /home/u/site",
    );
    expect(
      (await auditWords(entry("workspace.revoked", "P", { path: "/home/u/site", why: "device revoked" }), look)).text,
    ).toBe("took back Pixel's write access to /home/u/site (device revoked)");
    expect((await auditWords(entry("device.revoked", "P"), look)).text).toBe("revoked Pixel");
    expect((await auditWords(entry("device.caps", "P", { caps: ["chat", "terminal"] }), look)).text).toBe(
      "changed what Pixel may do: chat, terminal",
    );
  });

  it("reads an unknown action as words, never as a raw id", async () => {
    expect(await auditWords(entry("task.some_new_thing", "T1"), look)).toEqual({
      text: "task some new thing",
      command: "rm -rf build",
    });
    expect(await auditWords(entry("other.thing", "X9"), look)).toEqual({ text: "other thing" });
  });
});
