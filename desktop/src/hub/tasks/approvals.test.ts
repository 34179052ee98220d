import { describe, expect, it } from "vitest";
import { awaitedApprovers, checkVote, commandDigest, outcome, requiredApprovers, type ApprovalMode } from "./approvals";
import type { TaskRecord } from "./ports";

type Pending = Pick<TaskRecord, "state" | "command" | "requestedBy" | "approvals" | "endReason">;
const task = (approvals: TaskRecord["approvals"] = []): Pending => ({ state: "awaiting_approval", command: "rm -rf build", requestedBy: "phone-1", approvals, endReason: null });
const yes = (by: string) => ({ by, approve: true, at: 1 });
const no = (by: string) => ({ by, approve: false, at: 1 });
const code = (fn: () => void) => {
  try {
    fn();
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? "other";
  }
};

describe("approvals", () => {
  it("digests the exact command text with sha256", () => {
    expect(commandDigest("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(commandDigest("rm -rf build")).not.toBe(commandDigest("rm -rf build "));
  });

  it("names the required approvers per mode", () => {
    expect(requiredApprovers("both", "phone-1")).toEqual(["phone-1", "desktop"]);
    expect(requiredApprovers("both", "desktop")).toEqual(["desktop"]);
    expect(requiredApprovers("phone", "phone-1")).toEqual(["phone-1"]);
    expect(requiredApprovers("desktop", "phone-1")).toEqual(["desktop"]);
  });

  it("both: needs the requester and the desktop; any reject rejects", () => {
    expect(outcome("both", task([yes("phone-1")]))).toBe("pending");
    expect(awaitedApprovers("both", task([yes("phone-1")]))).toEqual(["desktop"]);
    expect(outcome("both", task([yes("phone-1"), yes("desktop")]))).toBe("approved");
    expect(outcome("both", task([yes("phone-1"), no("desktop")]))).toBe("rejected");
  });

  it("phone: only the requesting device approves; the desktop may still reject", () => {
    const t = task();
    expect(code(() => checkVote("phone", t, { by: "phone-2", approve: true }))).toBe("not_allowed");
    expect(code(() => checkVote("phone", t, { by: "phone-2", approve: false }))).toBe("not_allowed");
    expect(code(() => checkVote("phone", t, { by: "desktop", approve: true }))).toBe("not_allowed");
    expect(code(() => checkVote("phone", t, { by: "desktop", approve: false }))).toBe("ok");
    expect(code(() => checkVote("phone", t, { by: "phone-1", approve: true }))).toBe("ok");
    expect(outcome("phone", task([yes("phone-1")]))).toBe("approved");
  });

  it("desktop: only the desktop approves", () => {
    expect(code(() => checkVote("desktop", task(), { by: "phone-1", approve: true }))).toBe("not_allowed");
    expect(outcome("desktop", task([yes("desktop")]))).toBe("approved");
  });

  it("refuses a vote bound to another command text, a second vote and a settled task", () => {
    const modes: ApprovalMode[] = ["both", "phone"];
    for (const mode of modes) {
      expect(code(() => checkVote(mode, task(), { by: "phone-1", approve: true, digest: commandDigest("rm -rf /") }))).toBe("digest_mismatch");
      expect(code(() => checkVote(mode, task(), { by: "phone-1", approve: true, digest: commandDigest("rm -rf build") }))).toBe("ok");
    }
    expect(code(() => checkVote("both", task([yes("phone-1")]), { by: "phone-1", approve: true }))).toBe("already_voted");
    expect(code(() => checkVote("both", { ...task(), state: "running" }, { by: "desktop", approve: true }))).toBe("not_awaiting");
  });
});
