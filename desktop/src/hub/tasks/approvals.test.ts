import { describe, expect, it } from "vitest";
import {
  approvalDigest,
  approvalExpired,
  awaitedApprovers,
  checkVote,
  commandDigest,
  endOfLocalDay,
  outcome,
  rememberAgreed,
  requiredApprovers,
  type ApprovalMode,
} from "./approvals";
import type { TaskRecord } from "./ports";

type Pending = Pick<TaskRecord, "state" | "command" | "requestedBy" | "approvals" | "endReason">;
const task = (approvals: TaskRecord["approvals"] = []): Pending => ({
  state: "awaiting_approval",
  command: "rm -rf build",
  requestedBy: "phone-1",
  approvals,
  endReason: null,
});
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

  it("binds an approval to command, cwd and environment: the documented test vector (docs/protocol.md section 11)", () => {
    // Encoding: 23:neural-link/approval/v1,6:ls -la,8:/home/me,1:2,4:HOME,8:/home/me,4:PATH,13:/usr/bin:/bin,
    const input = { command: "ls -la", cwd: "/home/me", env: { PATH: "/usr/bin:/bin", HOME: "/home/me" } };
    expect(approvalDigest(input)).toBe("fe0399137ee13738d1f94083c52e25c70d30fd3696a2ed99d394111540366c1b");
    expect(approvalDigest({ command: "", cwd: "/", env: {} })).toBe(
      "1567420f922ea6046af660a72e54a6d1e58533a6e070430834acaf862b3f0bd9",
    );
    // Each part counts, and no split of the same characters collides.
    expect(approvalDigest({ ...input, cwd: "/home/me/" })).not.toBe(approvalDigest(input));
    expect(approvalDigest({ ...input, env: { ...input.env, LD_PRELOAD: "/tmp/x.so" } })).not.toBe(
      approvalDigest(input),
    );
    expect(approvalDigest({ command: "ls -la,8:/home", cwd: "/me", env: {} })).not.toBe(
      approvalDigest({ command: "ls -la", cwd: "/home/me", env: {} }),
    );
    expect(approvalDigest({ command: "a", cwd: "/", env: { A: "1", B: "2" } })).toBe(
      approvalDigest({ command: "a", cwd: "/", env: { B: "2", A: "1" } }),
    );
  });

  it("expires an approval at its deadline, and at created + ttl for a task stored before deadlines existed", () => {
    expect(approvalExpired({ approvalExpiresAt: 100, createdAt: 0 }, 99, 10)).toBe(false);
    expect(approvalExpired({ approvalExpiresAt: 100, createdAt: 0 }, 100, 10)).toBe(true);
    expect(approvalExpired({ approvalExpiresAt: null, createdAt: 50 }, 59, 10)).toBe(false);
    expect(approvalExpired({ approvalExpiresAt: null, createdAt: 50 }, 60, 10)).toBe(true);
  });

  it("remembers for today only until the next local midnight, and only when every required approver chose it", () => {
    const noon = new Date(2026, 10, 29, 12, 30).getTime();
    expect(endOfLocalDay(noon)).toBe(new Date(2026, 10, 30, 0, 0).getTime());
    const today = (by: string) => ({ by, approve: true, at: 1, remember: true });
    expect(rememberAgreed("both", { requestedBy: "phone-1", approvals: [today("phone-1"), yes("desktop")] })).toBe(
      false,
    );
    expect(rememberAgreed("both", { requestedBy: "phone-1", approvals: [today("phone-1"), today("desktop")] })).toBe(
      true,
    );
    expect(rememberAgreed("phone", { requestedBy: "phone-1", approvals: [today("phone-1")] })).toBe(true);
    expect(rememberAgreed("desktop", { requestedBy: "phone-1", approvals: [today("phone-1"), yes("desktop")] })).toBe(
      false,
    );
  });

  it("refuses a vote on an expired approval with its own code", () => {
    expect(
      code(() => checkVote("both", { ...task(), state: "rejected", endReason: "approval_expired" }, yes("phone-1"))),
    ).toBe("expired");
    expect(code(() => checkVote("both", { ...task(), state: "rejected", endReason: "rejected" }, yes("phone-1")))).toBe(
      "not_awaiting",
    );
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
      expect(
        code(() => checkVote(mode, task(), { by: "phone-1", approve: true, digest: commandDigest("rm -rf /") })),
      ).toBe("digest_mismatch");
      expect(
        code(() => checkVote(mode, task(), { by: "phone-1", approve: true, digest: commandDigest("rm -rf build") })),
      ).toBe("ok");
    }
    expect(code(() => checkVote("both", task([yes("phone-1")]), { by: "phone-1", approve: true }))).toBe(
      "already_voted",
    );
    expect(code(() => checkVote("both", { ...task(), state: "running" }, { by: "desktop", approve: true }))).toBe(
      "not_awaiting",
    );
  });
});
