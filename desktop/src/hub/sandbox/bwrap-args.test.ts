import { describe, expect, it } from "vitest";
import { bwrapArgs, type BwrapPlan } from "./bwrap-args";

const plan = (over: Partial<BwrapPlan> = {}): BwrapPlan => ({
  cwd: "/home/me/app",
  writable: [],
  hidden: [],
  env: { PATH: "/usr/bin", HOME: "/home/me" },
  tmpSizeBytes: 1024,
  seccompFd: 3,
  ...over,
});
const at = (a: string[], ...seq: string[]) => a.findIndex((_, i) => seq.every((s, j) => a[i + j] === s));

describe("bwrapArgs", () => {
  it("makes everything read-only, then a bounded private /tmp, no namespaces shared, no capabilities", () => {
    const a = bwrapArgs(plan());
    expect(a.slice(0, 3)).toEqual(["--ro-bind", "/", "/"]);
    expect(at(a, "--proc", "/proc", "--remount-ro", "/proc")).toBeGreaterThan(0);
    expect(at(a, "--size", "1024", "--tmpfs", "/tmp")).toBeGreaterThan(0);
    expect(at(a, "--size", "1024", "--tmpfs", "/dev/shm")).toBeGreaterThan(0);
    for (const flag of [
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
      "--clearenv",
    ])
      expect(a).toContain(flag);
    expect(at(a, "--cap-drop", "ALL")).toBeGreaterThan(0);
    expect(at(a, "--seccomp", "3")).toBeGreaterThan(0);
    expect(a).not.toContain("--share-net");
    expect(a.slice(-2)).toEqual(["--chdir", "/home/me/app"]);
  });

  it("sets exactly the given environment after clearing it", () => {
    const a = bwrapArgs(plan());
    const clear = a.indexOf("--clearenv");
    expect(a.slice(clear + 1, clear + 7)).toEqual(["--setenv", "PATH", "/usr/bin", "--setenv", "HOME", "/home/me"]);
    expect(a.filter((x) => x === "--setenv")).toHaveLength(2);
  });

  it("binds grants writable after the read-only root, and masks hidden paths last", () => {
    const a = bwrapArgs(
      plan({
        writable: ["/home/me/app"],
        hidden: [
          { path: "/home/me/app/.hub", dir: true },
          { path: "/home/me/key", dir: false },
        ],
      }),
    );
    const grant = at(a, "--bind", "/home/me/app", "/home/me/app");
    const hidDir = at(a, "--tmpfs", "/home/me/app/.hub", "--remount-ro", "/home/me/app/.hub");
    const hidFile = at(a, "--ro-bind", "/dev/null", "/home/me/key");
    expect(grant).toBeGreaterThan(2);
    expect(hidDir).toBeGreaterThan(grant);
    expect(hidFile).toBeGreaterThan(grant);
  });

  it("shows a working directory under /tmp again, read-only", () => {
    const a = bwrapArgs(plan({ cwd: "/tmp/build" }));
    expect(at(a, "--ro-bind", "/tmp/build", "/tmp/build")).toBeGreaterThan(at(a, "--tmpfs", "/tmp"));
    expect(at(bwrapArgs(plan({ cwd: "/tmpx" })), "--ro-bind", "/tmpx", "/tmpx")).toBe(-1);
  });
});
