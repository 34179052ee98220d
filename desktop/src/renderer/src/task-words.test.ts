import { describe, expect, it } from "vitest";
import type { Task } from "../../hub/api";
import {
  blockedText,
  canCancel,
  canEscalate,
  countdownText,
  durationText,
  endReasonText,
  sandboxBadge,
  timingText,
} from "./task-words";

const base: Task = {
  id: "t1",
  command: "ls",
  risk: "low",
  risk_reasons: [],
  state: "done",
  requested_by: "P",
  requester_name: "Pixel",
  created_at: 1,
};

describe("task words", () => {
  it("says why a task ended, with who did it", () => {
    expect(endReasonText(base)).toBeNull();
    expect(endReasonText({ ...base, end_reason: "exit", exit_code: 0 })).toBeNull();
    expect(endReasonText({ ...base, state: "failed", end_reason: "exit", exit_code: 2 })).toBe("exited with code 2");
    expect(
      endReasonText({ ...base, state: "rejected", end_reason: "rejected", ended_by: "P", ended_by_name: "Pixel" }),
    ).toBe("rejected by Pixel");
    expect(endReasonText({ ...base, state: "rejected", end_reason: "rejected", ended_by: "desktop" })).toBe(
      "rejected by this desktop",
    );
    expect(endReasonText({ ...base, state: "rejected", end_reason: "approval_expired" })).toMatch(/^approval expired/);
    expect(endReasonText({ ...base, state: "failed", end_reason: "cancelled", ended_by_name: "Pixel" })).toBe(
      "cancelled by Pixel",
    );
    expect(endReasonText({ ...base, state: "failed", end_reason: "hub_stopped" })).toBe("interrupted by a hub stop");
    expect(endReasonText({ ...base, state: "failed", end_reason: "hub_interrupted" })).toBe(
      "interrupted by a hub stop",
    );
    expect(endReasonText({ ...base, state: "failed", end_reason: "some_new_reason" })).toBe("some new reason");
  });

  it("badges how it ran: sandboxed, workspace, full access, or nothing before it ran", () => {
    expect(sandboxBadge({ ...base, started_at: 5, sandbox: { mode: "read-only" } })).toEqual({
      text: "sandboxed, read-only",
      kind: "sandboxed",
    });
    expect(sandboxBadge({ ...base, started_at: 5, sandbox: { mode: "workspace" } })?.text).toBe("sandboxed, workspace");
    expect(sandboxBadge({ ...base, started_at: 5, sandbox: null })?.text).toBe("full access");
    expect(sandboxBadge({ ...base, started_at: 5 })).toBeNull();
    expect(sandboxBadge({ ...base, state: "awaiting_approval", sandbox: null })).toBeNull();
  });

  it("offers escalation only for a finished task the sandbox blocked, cancel only while it is live", () => {
    const blocked: Task = { ...base, state: "failed", sandbox: { mode: "read-only", blocked: "write" } };
    expect(canEscalate(blocked)).toBe(true);
    expect(blockedText(blocked)).toMatch(/write/);
    expect(canEscalate({ ...blocked, state: "running" })).toBe(false);
    expect(canEscalate({ ...base, sandbox: { mode: "read-only" } })).toBe(false);
    expect(canCancel({ ...base, state: "running" })).toBe(true);
    expect(canCancel({ ...base, state: "awaiting_approval" })).toBe(true);
    expect(canCancel(base)).toBe(false);
  });

  it("formats durations, timings and countdowns", () => {
    expect(durationText(850)).toBe("850 ms");
    expect(durationText(12_400)).toBe("12 s");
    expect(durationText(184_000)).toBe("3 min 4 s");
    expect(durationText(7_500_000)).toBe("2 h 5 min");
    expect(timingText(base, 0)).toBeNull();
    expect(timingText({ ...base, started_at: 1000, ended_at: 3500 }, 0)).toMatch(/took 2 s$/);
    expect(timingText({ ...base, state: "running", started_at: 1000 }, 61_000)).toMatch(/running for 1 min 0 s$/);
    expect(countdownText(10_000 + 29 * 60_000 + 41_000, 10_000)).toBe("29:41");
    expect(countdownText(0, 10_000)).toBe("0:00");
  });
});
