import { describe, expect, it } from "vitest";
import type { Task } from "@neural-link/shared/app";
import {
  awaitingWords,
  blockedWords,
  durationWords,
  escalatable,
  expiryWords,
  sandboxWords,
  stateWords,
  timingWords,
} from "./task-words";

const task = (patch: Partial<Task> = {}): Task => ({ id: "t1", command: "ls", risk: "low", state: "done", ...patch });

describe("task words", () => {
  it("never words a hub stop like a person's rejection", () => {
    for (const end_reason of ["hub_stopped", "hub_interrupted"]) {
      const words = stateWords(task({ state: "failed", end_reason }), "me");
      expect(words).toBe("Interrupted: the desktop hub stopped");
      expect(words).not.toMatch(/reject/i);
    }
  });

  it("says who rejected or stopped a task", () => {
    expect(stateWords(task({ state: "rejected", end_reason: "rejected", ended_by: "desktop" }), "me")).toBe(
      "Rejected by the desktop",
    );
    expect(stateWords(task({ state: "rejected", end_reason: "rejected", ended_by: "me" }), "me")).toBe(
      "Rejected by you",
    );
    expect(
      stateWords(
        task({ state: "rejected", end_reason: "rejected", ended_by: "p2", ended_by_name: "Ana's phone" }),
        "me",
      ),
    ).toBe("Rejected by Ana's phone");
    expect(stateWords(task({ state: "failed", end_reason: "cancelled", ended_by: "desktop" }), "me")).toBe(
      "Stopped by the desktop",
    );
    expect(stateWords(task({ state: "rejected", end_reason: "cancelled", ended_by: "me" }), "me")).toBe(
      "Withdrawn by you before approval",
    );
    expect(stateWords(task({ state: "rejected", end_reason: "approval_expired" }), "me")).toBe(
      "Not run: nobody approved it in time",
    );
    // An older hub without end_reason, and a reason this app does not know yet.
    expect(stateWords(task({ state: "rejected" }), "me")).toBe("Rejected");
    expect(stateWords(task({ state: "done", end_reason: "something_new" }), "me")).toBe("Done");
    expect(stateWords(task({ state: "done", end_reason: "exit", kind: "terminal" }), "me")).toBe("Shell ended");
    expect(stateWords(task({ state: "failed", end_reason: "exit" }), "me")).toBe("Failed");
  });

  it("badges how a task runs", () => {
    expect(sandboxWords(task({ sandbox: { mode: "read-only" } }))?.label).toBe("Sandboxed (read-only)");
    expect(sandboxWords(task({ sandbox: { mode: "workspace" } }))?.label).toBe("Workspace");
    expect(sandboxWords(task({ sandbox: null }))?.label).toBe("Full access");
    expect(sandboxWords(task({ kind: "terminal" }))?.kind).toBe("full");
    expect(sandboxWords(task())).toBeNull();
  });

  it("says whether the desktop still has to approve", () => {
    expect(awaitingWords(task({ state: "awaiting_approval", awaiting: ["desktop"] }))).toBe(
      "Waiting for approval on the desktop",
    );
    expect(awaitingWords(task({ state: "awaiting_approval", awaiting: ["desktop", "phone"] }))).toBe(
      "Waiting for approval on the desktop and here",
    );
    expect(awaitingWords(task({ state: "awaiting_approval", awaiting: ["phone"] }))).toBe(
      "Waiting for your approval here",
    );
    expect(awaitingWords(task({ state: "running" }))).toBeNull();
  });

  it("counts down an approval's time left, and calls it expired at zero", () => {
    const waiting = task({ state: "awaiting_approval", approval_expires_at: 100_000 });
    expect(expiryWords(waiting, 100_000 - 30 * 60_000)).toEqual({ text: "Expires in 30:00", expired: false });
    expect(expiryWords(waiting, 100_000 - 30 * 60_000 + 500)).toEqual({ text: "Expires in 29:59", expired: false });
    expect(expiryWords(waiting, 100_000 - 61_000)).toEqual({ text: "Expires in 1:01", expired: false });
    expect(expiryWords(waiting, 100_000)?.expired).toBe(true);
    expect(expiryWords(task({ state: "awaiting_approval" }), 0)).toBeNull();
  });

  it("words start times and durations", () => {
    const fmt = (ms: number) => `@${ms}`;
    expect(timingWords(task({ state: "running", started_at: 1000 }), 126_000, fmt)).toBe(
      "started @1000 · running for 2 min 5 s",
    );
    expect(timingWords(task({ started_at: 1000, ended_at: 4200 }), 0, fmt)).toBe("started @1000 · ran 3 s");
    expect(timingWords(task({ started_at: null }), 0, fmt)).toBeNull();
    expect(durationWords(3_600_000 + 4 * 60_000)).toBe("1 h 4 min");
    expect(durationWords(-5)).toBe("0 s");
  });

  it("offers escalation only for a finished task the sandbox blocked", () => {
    expect(
      escalatable(task({ state: "failed", sandbox: { mode: "read-only", blocked: "read-only file system" } })),
    ).toBe(true);
    expect(escalatable(task({ state: "running", sandbox: { mode: "read-only", blocked: "x" } }))).toBe(false);
    expect(escalatable(task({ state: "failed", sandbox: { mode: "read-only" } }))).toBe(false);
    expect(blockedWords("write")).toMatch(/change a file/);
    expect(blockedWords("network")).toMatch(/network/);
  });
});
