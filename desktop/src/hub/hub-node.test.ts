import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DocLink, DocName, DocReplica, NotesType, isNotesType } from "@neural-link/shared/sync";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, Task } from "./api";
import type { HubQuestion } from "./hub-events";
import { HubNode } from "./hub-node";

/**
 * Terminals run /bin/sh, not the user's $SHELL: an interactive bash reads the
 * machine's rc files, which here run `pyenv init` and can wait a minute on a lock.
 */
const TEST_SHELL = "/bin/sh";

// The HubApi side of HubNode, before first-run setup: no relay, no network.
describe("HubNode before setup", () => {
  let dir: string;
  let hub: HubNode;
  const questions: HubQuestion[] = [];
  const tasks: Task[] = [];
  const audit: AuditEntry[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-node-"));
    hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      approvals: "desktop",
      log: pino({ level: "silent" }),
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
    });
    hub.onQuestion((q) => questions.push(q));
    hub.on("task", (t) => tasks.push(t));
    hub.on("audit", (e) => audit.push(e));
  });

  afterAll(async () => {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports first-run state and refuses to pair before setup", async () => {
    const status = await hub.getStatus();
    expect(status).toMatchObject({
      setupDone: false,
      device: null,
      name: null,
      relay: { mode: "embedded", connected: false },
      devicesPaired: 0,
    });
    await expect(hub.startPairing()).rejects.toMatchObject({ code: "not_ready" });
    expect(await hub.getSettings()).toEqual({ name: "", relay: { mode: "embedded" }, approvals: "desktop" });
  });

  it("keeps messages, pages them by time, and searches them", async () => {
    const first = await hub.sendMessage({ text: "alpha note" });
    await new Promise((r) => setTimeout(r, 5));
    const second = await hub.sendMessage({ text: "beta note" });
    const all = await hub.listMessages({ conversation: first.conversation });
    expect(all.map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await hub.listMessages({ conversation: first.conversation, before: second.ts })).map((m) => m.id)).toEqual([
      first.id,
    ]);
    expect((await hub.searchMessages({ query: "beta" })).map((m) => m.id)).toEqual([second.id]);
    expect(await hub.listConversations()).toEqual([
      expect.objectContaining({ id: first.conversation, lastText: "beta note", messageCount: 2 }),
    ]);
  });

  it("runs the desktop's own tasks, asking about high-risk ones", async () => {
    const low = await hub.runTask({ command: "echo from-desktop" });
    expect(low).toMatchObject({ risk: "low", requested_by: "desktop", requester_name: "This desktop" });
    expect(await hub.taskSettled(low.id)).toMatchObject({
      state: "done",
      exit_code: 0,
      output: expect.stringContaining("from-desktop"),
    });
    const high = await hub.runTask({ command: `rm -f ${join(dir, "nothing")}` });
    expect(high.state).toBe("awaiting_approval");
    await expect
      .poll(() => questions.find((q) => q.kind === "approval"))
      .toMatchObject({ kind: "approval", task: high.id, command: high.command });
    const rejected = await hub.approveTask({ task: high.id, approve: false });
    expect(rejected.state).toBe("rejected");
    await expect(hub.approveTask({ task: high.id, approve: true })).rejects.toMatchObject({ code: "conflict" });
    await expect(hub.getTask({ task: "missing" })).rejects.toMatchObject({ code: "not_found" });
    expect(tasks.map((t) => t.state)).toEqual(
      expect.arrayContaining(["running", "done", "awaiting_approval", "rejected"]),
    );
    expect((await hub.listTasks({ limit: 10 })).map((t) => t.id)).toEqual([high.id, low.id]);
  });

  it("opens terminals for the desktop and serves their snapshot", async () => {
    const t = await hub.openTerminal({ cols: 80, rows: 24 });
    // Type only after the prompt: a shell may flush what was typed before its line editor started.
    await expect
      .poll(async () => (await hub.terminalSnapshot({ id: t.id })).data.length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    await hub.terminalInput({ id: t.id, data: "echo desk-$((1+1))\r" });
    await expect
      .poll(async () => (await hub.terminalSnapshot({ id: t.id })).data, { timeout: 10_000 })
      .toContain("desk-2");
    await hub.resizeTerminal({ id: t.id, cols: 100, rows: 30 });
    expect(await hub.listTerminals()).toEqual([
      expect.objectContaining({ id: t.id, cols: 100, rows: 30, owner: "desktop", alive: true }),
    ]);
    await hub.closeTerminal({ id: t.id });
    await expect(hub.terminalInput({ id: t.id, data: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("serves the UI's notes replica through notesMessage and notes.message, and answers bad ones with notes.error", async () => {
    // The renderer's replica, with window.hub's notesMessage and notes.message as its link.
    const replica = () => {
      const link: DocLink = {
        send: (t, d) => void hub.notesMessage({ t, d }),
        onMessage: (l) => hub.on("notes.message", (m) => isNotesType(m.t) && l(m.t, m.d)),
        state: () => ({ online: true, epoch: 1 }),
        onState: () => () => undefined,
      };
      const r = new DocReplica({ name: DocName.NOTES, link, user: { name: "Desk", device: "desktop" } });
      r.start();
      return r;
    };
    const ui = replica();
    try {
      await expect.poll(() => ui.getState().synced).toBe(true);
      ui.setText("from the UI");
      // A second replica learns the text from the hub alone.
      const again = replica();
      await expect.poll(() => again.getState().text).toBe("from the UI");
      again.destroy();
    } finally {
      ui.destroy();
    }
    const errors: unknown[] = [];
    const off = hub.on("notes.message", (m) => m.t === NotesType.ERROR && errors.push(m.d));
    await hub.notesMessage({ t: NotesType.SYNC, d: { doc: "notes", data: "not base64url!" } });
    await hub.notesMessage({ t: NotesType.SYNC, d: { doc: "elsewhere", data: "AAA" } });
    off();
    expect(errors).toEqual([
      expect.objectContaining({ doc: "notes", code: "bad_message" }),
      expect.objectContaining({ doc: "elsewhere", code: "unknown_doc" }),
    ]);
  });

  it("refuses what it cannot do, with codes the UI knows", async () => {
    await expect(hub.renameDevice({ device: "A".repeat(43), name: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(hub.answerPairing({ requestId: "x", accept: true })).rejects.toMatchObject({ code: "not_found" });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["task.requested", "task.rejected", "terminal.opened", "terminal.closed"]),
    );
    expect((await hub.listAudit({ limit: 3 })).length).toBe(3);
  });
});
