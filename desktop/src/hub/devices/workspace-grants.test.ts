import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "../audit-log";
import { HubEmitter } from "../hub-events";
import type { Store } from "../store";
import { openTempStore, silentLog } from "../store/test-support";
import { WorkspaceGrants } from "./workspace-grants";
import { checkWorkspacePath, type WorkspacePathProblem, type WorkspacePathRules } from "./workspace-path";

const PHONE = "P".repeat(43);
const OTHER = "O".repeat(43);
let root: string;
let rules: WorkspacePathRules;
let store: Store;
let closeStore: () => Promise<void>;
let events: HubEmitter;
let grants: WorkspaceGrants;

beforeEach(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "nl-grants-")));
  const home = join(root, "home");
  mkdirSync(join(home, "proj", "src"), { recursive: true });
  mkdirSync(join(home, ".neural-link"), { recursive: true });
  writeFileSync(join(home, "notes.txt"), "x");
  rules = { dataDir: join(home, ".neural-link"), home };
  ({ store, cleanup: closeStore } = await openTempStore());
  for (const id of [PHONE, OTHER]) {
    await store.devices.add({
      id,
      name: id === PHONE ? "Pixel" : "Tablet",
      kind: "phone",
      boxPublicKey: "B".repeat(43),
      card: { v: 1 } as never,
      caps: ["tasks"],
    });
  }
  events = new HubEmitter(silentLog);
  grants = new WorkspaceGrants({
    store,
    audit: new AuditLog(store, events, silentLog),
    events,
    log: silentLog,
    rules,
    settings: { maxPerDevice: 2 },
  });
});
afterEach(async () => {
  await closeStore();
  rmSync(root, { recursive: true, force: true });
});

const problem = async (path: string): Promise<WorkspacePathProblem | "accepted"> => {
  try {
    await checkWorkspacePath(path, rules);
    return "accepted";
  } catch (err) {
    return (err as { problem: WorkspacePathProblem }).problem;
  }
};

describe("checkWorkspacePath", () => {
  it("accepts an existing folder inside home and returns its real path", async () => {
    symlinkSync(join(root, "home", "proj"), join(root, "home", "link"));
    expect(await checkWorkspacePath(join(root, "home", "link"), rules)).toBe(join(root, "home", "proj"));
    expect(await checkWorkspacePath(` ${join(root, "home", "proj", "src")} `, rules)).toBe(
      join(root, "home", "proj", "src"),
    );
  });

  it("refuses each unsafe folder with its own reason and a sentence", async () => {
    expect(await problem("home/proj")).toBe("not_absolute");
    expect(await problem(join(root, "missing"))).toBe("not_found");
    expect(await problem(join(root, "home", "notes.txt"))).toBe("not_directory");
    expect(await problem("/")).toBe("root");
    expect(await problem(join(root, "home"))).toBe("home");
    expect(await problem(join(root, "home", "proj", ".."))).toBe("home");
    expect(await problem("/etc")).toBe("system");
    expect(await problem("/usr/lib")).toBe("system");
    expect(await problem(join(root, "home", ".neural-link"))).toBe("hub_data");
    // Containing the data folder is as bad as being inside it.
    const inside = { ...rules, dataDir: join(root, "home", "proj", "src", "data") };
    await expect(checkWorkspacePath(join(root, "home", "proj"), inside)).rejects.toThrow(
      /contains the hub's own data folder/,
    );
    await expect(checkWorkspacePath("/etc", rules)).rejects.toThrow(/system folder/);
  });

  it("resolves symlinks before judging: a link to / or to the data folder is refused", async () => {
    symlinkSync("/", join(root, "home", "to-root"));
    symlinkSync(join(root, "home", ".neural-link"), join(root, "home", "to-data"));
    symlinkSync("/etc", join(root, "home", "to-etc"));
    expect(await problem(join(root, "home", "to-root"))).toBe("root");
    expect(await problem(join(root, "home", "to-data"))).toBe("hub_data");
    expect(await problem(join(root, "home", "to-etc"))).toBe("system");
  });
});

describe("WorkspaceGrants", () => {
  it("grants a folder to one device only, audits it, and revokes it at once", async () => {
    const heard: unknown[] = [];
    events.on("workspace", (e) => heard.push(e));
    const folder = join(root, "home", "proj");
    const g = await grants.grant(PHONE, folder);
    expect(g).toMatchObject({ device: PHONE, path: folder });
    expect(await grants.workspaceFor(PHONE)).toEqual([folder]);
    expect(await grants.workspaceFor(OTHER)).toEqual([]);
    expect(await grants.workspaceFor("desktop")).toEqual([]);
    await grants.revoke(PHONE, folder);
    expect(await grants.workspaceFor(PHONE)).toEqual([]);
    await expect(grants.revoke(PHONE, folder)).rejects.toMatchObject({ code: "not_found" });
    const audit = (await store.audit.list({ limit: 10 })).reverse();
    expect(audit.map((e) => [e.actor, e.action, e.subject, e.detail])).toEqual([
      ["desktop", "workspace.granted", PHONE, { path: folder }],
      ["desktop", "workspace.revoked", PHONE, { path: folder }],
    ]);
    await expect.poll(() => heard.length).toBe(2);
  });

  it("refuses unknown or revoked devices, bad folders, and more than the limit", async () => {
    const proj = join(root, "home", "proj");
    await expect(grants.grant("nobody", proj)).rejects.toMatchObject({ code: "not_found" });
    await expect(grants.grant(PHONE, "/etc")).rejects.toMatchObject({ code: "bad_params", problem: "system" });
    await grants.grant(PHONE, proj);
    await grants.grant(PHONE, proj); // the same folder again is no new grant
    await grants.grant(PHONE, join(proj, "src"));
    mkdirSync(join(root, "home", "third"));
    await expect(grants.grant(PHONE, join(root, "home", "third"))).rejects.toThrow(/at most 2 workspace folders/);
    await store.devices.revoke(OTHER);
    await expect(grants.grant(OTHER, proj)).rejects.toMatchObject({ code: "not_found" });
    expect(await store.audit.list({ limit: 10 })).toHaveLength(2);
  });

  it("drops every grant of a revoked device, auditing each", async () => {
    const proj = join(root, "home", "proj");
    await grants.grant(PHONE, proj);
    await grants.grant(OTHER, proj);
    await grants.revokeAll(PHONE);
    expect(await grants.list(PHONE)).toEqual([]);
    expect((await grants.list()).map((g) => g.device)).toEqual([OTHER]);
    const last = (await store.audit.list({ limit: 1 }))[0]!;
    expect(last).toMatchObject({
      action: "workspace.revoked",
      subject: PHONE,
      detail: { path: proj, why: "device revoked" },
    });
  });

  it("leaves out a granted folder that was deleted or swapped for a symlink", async () => {
    const proj = join(root, "home", "proj");
    const gone = join(root, "home", "gone");
    mkdirSync(gone);
    await grants.grant(PHONE, proj);
    await grants.grant(PHONE, gone);
    rmSync(gone, { recursive: true });
    expect(await grants.workspaceFor(PHONE)).toEqual([proj]);
    rmSync(proj, { recursive: true });
    symlinkSync(join(root, "home", ".neural-link", ".."), proj);
    expect(await grants.workspaceFor(PHONE)).toEqual([]);
  });
});
