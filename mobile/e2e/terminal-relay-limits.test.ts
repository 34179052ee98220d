import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { DEFAULT_ANNOUNCED_LIMITS } from "@neural-link/shared/protocol";
import { DEFAULT_FLOW_BUDGET } from "../../desktop/src/hub/terminals/output-flow";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { TestPhone } from "../../desktop/test/test-phone";
import { catCounted } from "./phone-terminal";

/**
 * A relay announces its limits in HELLO (docs/protocol.md section 4), and a hub with no settings
 * of its own budgets its terminal streams by them: above the default budget through a relay
 * configured higher, below it through one configured lower. Real relays on loopback, real hubs,
 * real ptys; speeds are compared with each other, measured in the same run, never against a clock.
 * (All of it shares one process here, so the raised path is bound by CPU, not by its budget: the
 * speed comparison is against a lowered relay, whose budget binds wherever this runs.)
 */
const MiB = 1024 * 1024;
const RAISED = { bytesPerSecond: 128 * MiB, opsPerSecond: 1000, opsBurst: 2000 };
const LOWERED = { bytesPerSecond: 1 * MiB };
/**
 * Enough output that the lowered relay's budget (about 0.6 MiB/s of characters) decides its speed; low enough
 * that the raised path, bound by CPU, stays well above it on a busy machine (at load 10 a 2 MiB/s relay was not).
 */
const FILE_MB = 3;

interface Rig {
  relay: RelayHandle;
  hub: HubNode;
  phone: TestPhone;
}

const log = pino({ level: "silent" });
const work = mkdtempSync(join(tmpdir(), "nlink-relay-limits-"));
const file = join(work, "out.txt");

async function rig(name: string, limits: typeof RAISED | typeof LOWERED | null): Promise<Rig> {
  const relay = await startRelay({
    host: "127.0.0.1",
    port: 0,
    db: "memory",
    logger: log,
    ...(limits ? { limits, exceedProtocolLimits: limits === RAISED } : {}),
  });
  const hub = await HubNode.start({
    dataDir: join(work, name),
    relay: relay.url,
    name,
    log,
    // Nothing about speed: the hub follows the relay it reached.
    settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
    executor: { terminalShell: "/bin/sh" },
  });
  await hub.whenOnline();
  hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
  hub.on("approval.request", (t) => void hub.approveTask({ task: t.id, approve: true }));
  const phone = new TestPhone(relay.url, `${name} phone`, { binaryFrames: true });
  await phone.connect();
  const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
  await phone.completePairing(invite);
  return { relay, hub, phone };
}

/** Bytes per millisecond of `cat file` (ASCII) in a phone terminal that keeps up (it acks, it does not draw). */
async function catRate(r: Rig): Promise<{ perMs: number; bytes: number }> {
  const { units, ms } = await catCounted(r.phone, file);
  return { perMs: units / ms, bytes: units };
}

describe("a relay's announced limits reach the hub's terminal stream", () => {
  let rigs: Rig[] = [];

  beforeAll(async () => {
    const out = createWriteStream(file);
    const block = "build step ok, compiled module with 0 warnings ......................................\n".repeat(
      12_000,
    );
    for (let n = 0; n < FILE_MB * MiB; n += block.length) if (!out.write(block)) await once(out, "drain");
    out.end();
    await once(out, "finish");
    rigs = [await rig("default", null), await rig("raised", RAISED), await rig("lowered", LOWERED)];
  }, 120_000);

  afterAll(async () => {
    for (const r of rigs) {
      r.phone.stop();
      await r.hub.stop();
      await r.relay.close();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("each relay's limits reach both ends: the phone's client hears them, the hub budgets its terminals by them", () => {
    const [byDefault, raised, lowered] = rigs;
    expect(byDefault!.phone.gateway.announcedLimits).toEqual(DEFAULT_ANNOUNCED_LIMITS);
    expect(raised!.phone.gateway.announcedLimits).toMatchObject({
      bytes_per_second: RAISED.bytesPerSecond,
      ops_per_second: RAISED.opsPerSecond,
      ops_burst: RAISED.opsBurst,
    });
    expect(byDefault!.hub.terminalBudget()).toEqual(DEFAULT_FLOW_BUDGET);
    // 16 times the bytes and 5 times the ops of the defaults, so 16 and 5 times the budget (to rounding).
    const up = raised!.hub.terminalBudget();
    expect(up.charsPerSecond / DEFAULT_FLOW_BUDGET.charsPerSecond).toBeCloseTo(16, 1);
    expect(up.opsPerSecond / DEFAULT_FLOW_BUDGET.opsPerSecond).toBeCloseTo(5, 1);
    expect(lowered!.hub.terminalBudget().charsPerSecond / DEFAULT_FLOW_BUDGET.charsPerSecond).toBeCloseTo(0.125, 2);
  });

  it("the same hub settings stream a terminal faster through a faster relay", async () => {
    const slow = await catRate(rigs[2]!);
    const fast = await catRate(rigs[1]!);
    // Both phones got all of it (a pty turns "\n" into "\r\n", so each counts a little more than the file).
    for (const r of [slow, fast]) expect(r.bytes).toBeGreaterThan(FILE_MB * MiB);
    // The lowered relay's budget holds its hub near 0.6 MiB/s; the raised one is bound by CPU alone.
    expect(fast.perMs / slow.perMs).toBeGreaterThan(1.5);
  }, 120_000);
});
