/**
 * Files benchmark (`npm run bench:files [-- --runs N --mb M]`): a file of M MB
 * (default 100) sent phone → hub on loopback with the same code the phone runs
 * (shared `uploadFile`: SHA-256 while reading, sealed qos 0 chunks in a window
 * clocked by the hub's acks, `files.finish` checking the sum), beside the
 * baseline measured in the same run: the same bytes as the same number of
 * frames of the same size between two bare relay clients, with the same window
 * and acks back (no sealing, no JSON, no disk): what the relay path alone allows.
 *
 * The relay and the hub run in a child process (this file with `serve`), so the
 * phone does not share their thread. Both rows are measured twice: with the
 * protocol's default limits (8 MiB/s per connection, docs/protocol.md section 2),
 * and with a relay explicitly started above them (`exceedProtocolLimits`,
 * 64 MiB/s, announced in its HELLO, which every client follows) to show the code's own ceiling.
 * Prints medians of `--runs` and the machine's load (`uptime`) before and after.
 */
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { GatewayClient, standardSocketFactory } from "@neural-link/shared/client";
import { generateIdentity } from "@neural-link/shared/crypto";
import { b64uEncode } from "@neural-link/shared/encoding";
import { uploadFile } from "@neural-link/shared/files";
import { pino } from "pino";
import WebSocket from "ws";
import { HubNode } from "../desktop/src/hub/hub-node";
import { FilesPhone } from "../desktop/test/files-phone";
import { startRelay } from "../relay/src/index";

const MiB = 1024 * 1024;
const RAISED = { bytesPerSecond: 64 * MiB, opsPerSecond: 2000, opsBurst: 4000 };

// ---------- child: relay + hub, auto-accepting one pairing ----------
async function serve(raised: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nlink-bench-files-"));
  const log = pino({ level: "silent" });
  const relay = await startRelay({
    port: 0,
    db: "memory",
    logger: log,
    appDir: null,
    relayId: "bench-files",
    ...(raised ? { limits: RAISED, exceedProtocolLimits: true } : {}),
  });
  const url = `ws://127.0.0.1:${relay.port}/v1/gateway`;
  const hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    relay: url,
    name: "Bench Hub",
    approvals: "phone",
    log,
  });
  await hub.whenOnline();
  await hub.updateFileSettings({ landingDir: join(dir, "landing") });
  hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
  const { uri } = await hub.startPairing();
  process.stdout.write(`${JSON.stringify({ url, uri })}\n`);
  process.stdin.on("data", () => undefined);
  process.stdin.on("end", () => {
    void hub.stop().then(async () => {
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

async function startChild(raised: boolean): Promise<{ child: ChildProcess; url: string; uri: string }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "serve", raised ? "raised" : "default"],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; uri: string }) };
}

// ---------- baseline: the same frames between two bare clients ----------
async function baseline(
  url: string,
  bytes: number,
  chunk: number,
  windowBytes: number,
  ackEvery: number,
): Promise<number> {
  const mk = () =>
    new GatewayClient({
      url,
      identity: generateIdentity(),
      socketFactory: standardSocketFactory(WebSocket),
      binaryFrames: true,
    });
  const a = mk();
  const b = mk();
  a.start();
  b.start();
  await Promise.all([a.whenOnline(), b.whenOnline()]);
  await a.grant(b.device);
  await b.grant(a.device);
  // A body the size of one sealed chunk: 256 KiB as base64url in JSON, plus the envelope.
  const body = randomBytes(Math.ceil((chunk * 4) / 3) + 300);
  let acked = 0;
  let wake: (() => void) | null = null;
  let frames = 0;
  let lastAck = 0;
  b.on("frame", () => {
    const held = Math.min(++frames * chunk, bytes);
    if (held - lastAck >= ackEvery || held >= bytes) {
      lastAck = held;
      // qos 0, like file.ack: a lost ack is covered by the next one (and reported, so a bad run is visible).
      b.send({
        id: b64uEncode(randomBytes(16)),
        to: a.device,
        qos: 0,
        envelope: new TextEncoder().encode(String(held)),
      }).catch((err: unknown) => process.stderr.write(`  baseline ack not sent: ${String(err)}\n`));
    }
  });
  a.on("frame", (f) => {
    const n = Number(new TextDecoder().decode(f.envelope ?? new Uint8Array()));
    if (Number.isFinite(n) && n > acked) acked = n;
    wake?.();
  });
  const t0 = performance.now();
  for (let sent = 0; sent < bytes;) {
    if (sent - acked >= windowBytes) {
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    await a.send({ id: b64uEncode(randomBytes(16)), to: b.device, envelope: body, qos: 0 });
    sent += chunk;
  }
  while (acked < bytes) await new Promise<void>((r) => (wake = r));
  const s = (performance.now() - t0) / 1000;
  a.stop();
  b.stop();
  return bytes / 1e6 / s;
}

async function files(url: string, uri: string, data: Buffer): Promise<number> {
  const phone = new FilesPhone(url, { callTimeoutMs: 120_000 });
  await phone.connect();
  await phone.pairWithUri(uri);
  let puts = 0;
  let resends = 0;
  const call = phone.call;
  phone.call = ((m: string, p: unknown) => {
    if (m === "files.put") puts++;
    return (call as (m: string, p: unknown) => Promise<unknown>)(m, p);
  }) as typeof phone.call;
  const offAck = phone.onPush((p) => {
    if ((p.d as { resend?: boolean }).resend) resends++;
  });
  const t0 = performance.now();
  const t = await uploadFile(phone, {
    name: "bench.bin",
    size: data.length,
    read: async (o, n) => data.subarray(o, o + n),
  });
  const s = (performance.now() - t0) / 1000;
  if (t.state !== "done") throw new Error(`upload ${t.state}: ${t.error ?? ""}`);
  if (t.path) unlinkSync(t.path);
  offAck();
  // Recoveries cost a stall each: say how many there were (a figure that should stay near 0).
  process.stderr.write(`  files.put calls ${puts} (1 is the start), resend requests ${resends}\n`);
  phone.stop();
  return data.length / 1e6 / s;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "3" }, mb: { type: "string", default: "100" } },
  });
  const runs = Number(values.runs);
  const bytes = Number(values.mb) * 1e6;
  const data = randomBytes(bytes);
  const loadBefore = execSync("uptime").toString().trim();
  const rows: string[] = [];
  for (const raised of [false, true]) {
    const base: number[] = [];
    const up: number[] = [];
    for (let r = 0; r < runs; r++) {
      // One child per run: the pairing URI is good once, and each run starts from a fresh hub.
      const { child, url, uri } = await startChild(raised);
      try {
        base.push(await baseline(url, bytes, 256 * 1024, 3 * MiB, 512 * 1024));
        up.push(await files(url, uri, data));
      } finally {
        child.stdin!.end();
        await new Promise((r) => child.once("exit", r));
      }
      process.stderr.write(
        `${raised ? "raised" : "default"} run ${r + 1}: baseline ${base.at(-1)!.toFixed(1)} MB/s, files ${up.at(-1)!.toFixed(1)} MB/s\n`,
      );
    }
    const limits = raised ? "relay raised to 64 MiB/s (non-default)" : "protocol defaults (8 MiB/s per connection)";
    rows.push(`| ${limits} | plain relay round trip (baseline) | ${median(base).toFixed(1)} | 1.00 |`);
    rows.push(
      `| ${limits} | phone → hub file (sealed, acked, SHA-256) | ${median(up).toFixed(1)} | ${(median(up) / median(base)).toFixed(2)} |`,
    );
  }
  const loadAfter = execSync("uptime").toString().trim();
  console.log(
    `\nbench:files: ${values.mb} MB, 256 KiB chunks, 3 MiB window, acks every 512 KiB, medians of ${runs} runs\n`,
  );
  console.log("| limits | path | MB/s | × baseline |\n|---|---|---|---|");
  for (const r of rows) console.log(r);
  console.log(`\nload before: ${loadBefore}\nload after:  ${loadAfter}`);
}

if (process.argv[2] === "serve") void serve(process.argv[3] === "raised");
else
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
