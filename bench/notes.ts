/**
 * Documents benchmark (`npm run bench:notes`): how long a fresh phone takes to
 * receive a notes document built from 100k edits, beside the baseline of Yjs
 * itself copying the same document locally (encodeStateAsUpdate +
 * applyUpdate), measured in the same run. Paths:
 *  - checked copy: the baseline plus the receiver's scratch-doc check, the
 *    floor of any path that refuses malformed updates;
 *  - sessions: a client and a server `DocSyncSession` over in-memory channels:
 *    step 1, step 2 encoded, chunked under the relay's body limit, base64url,
 *    JSON round trip, reassembled, checked on a scratch doc, applied;
 *  - hub: the same through the hub's `NotesService` on a real SQLite file;
 *  - relay: the session pair through a real relay (in-process, loopback
 *    WebSocket, in-memory storage) with real gateway clients and sealed
 *    end-to-end envelopes;
 *  - reopen: the hub loading the document back from SQLite after a restart.
 *
 *   npm run bench:notes                  # 100,000 edits
 *   npm run bench:notes -- --edits 20000 --runs 3
 */
import { parseArgs } from "node:util";
import { Endpoint, GatewayClient, MemoryOutbox } from "@neural-link/shared/client";
import { generateIdentity, type Identity, MemorySeenIds } from "@neural-link/shared/crypto";
import { checkUpdate, DocSyncSession, isNotesType, MemoryChannel } from "@neural-link/shared/sync";
import { pino } from "pino";
import * as Y from "yjs";
import { NotesService } from "../desktop/src/hub/notes";
import { NotesNetwork } from "../desktop/test/notes-phones";
import { wsSocketFactory } from "../desktop/src/hub/link/ws-socket";
import { openStore } from "../desktop/src/hub/store";
import { tempDir } from "../desktop/src/hub/store/test-support";
import { startRelay } from "../relay/src/index";

const { values } = parseArgs({
  options: { edits: { type: "string", default: "100000" }, runs: { type: "string", default: "5" } },
});
const EDITS = Number(values.edits);
const RUNS = Number(values.runs);
const log = pino({ level: "silent" });

/** Typing-like edits: mostly inserts near a moving cursor, some deletions, deterministic. */
function buildDoc(edits: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText("notes");
  let seed = 42;
  // The high bits of an LCG: its low bits repeat with short periods.
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
  let cursor = 0;
  for (let i = 0; i < edits; i++) {
    if (rand(10) === 0) cursor = rand(text.length + 1);
    if (rand(8) === 0 && cursor > 0) {
      text.delete(cursor - 1, 1);
      cursor--;
    } else {
      text.insert(cursor, "abcdefghijklmnopqrstuvwxyz \n"[rand(28)]!);
      cursor++;
    }
  }
  return doc;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => Promise<void> | void): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function baseline(src: Y.Doc): void {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(src));
  if (copy.getText("notes").length !== src.getText("notes").length) throw new Error("baseline copy differs");
  copy.destroy();
}

/** The baseline plus the receiver's check of the update on a scratch doc: the floor of any checked sync. */
function baselineChecked(src: Y.Doc): void {
  const copy = new Y.Doc();
  const update = Y.encodeStateAsUpdate(src);
  checkUpdate(update);
  Y.applyUpdate(copy, update);
  copy.destroy();
}

let lastFrames = 0;
let lastWireBytes = 0;
function viaSessions(src: Y.Doc): void {
  const phone = new Y.Doc();
  const toHub = new MemoryChannel((t, d) => server.receive(t, d));
  const toPhone = new MemoryChannel((t, d) => client.receive(t, d));
  let frames = 0;
  const server = new DocSyncSession({
    name: "notes",
    doc: src,
    role: "server",
    send: (t, d, q) => (frames++, toPhone.send(t, d, q)),
  });
  const client = new DocSyncSession({ name: "notes", doc: phone, role: "client", send: toHub.send });
  server.start();
  client.start();
  while (toHub.flush() + toPhone.flush() > 0);
  if (phone.getText("notes").toString() !== src.getText("notes").toString()) throw new Error("session copy differs");
  lastFrames = frames;
  lastWireBytes = toPhone.sentBytes;
  server.close();
  client.close();
  phone.destroy();
}

/** Two devices on a real relay: gateway client + end-to-end endpoint each, granted both ways. */
async function relayPair(url: string) {
  const connect = async (identity: Identity) => {
    const gateway = new GatewayClient({ url, identity, socketFactory: wsSocketFactory, outbox: new MemoryOutbox() });
    const endpoint = new Endpoint({ gateway, identity, seen: new MemorySeenIds() });
    gateway.start();
    await gateway.whenOnline();
    return { identity, gateway, endpoint };
  };
  const hub = await connect(generateIdentity());
  const phone = await connect(generateIdentity());
  hub.endpoint.peers.set(phone.endpoint.device, phone.identity.boxPublicKey);
  phone.endpoint.peers.set(hub.endpoint.device, hub.identity.boxPublicKey);
  await hub.gateway.grant(phone.endpoint.device);
  await phone.gateway.grant(hub.endpoint.device);
  return { hub, phone, stop: () => [hub, phone].forEach((x) => (x.endpoint.dispose(), x.gateway.stop())) };
}

async function viaRelay(src: Y.Doc, pair: Awaited<ReturnType<typeof relayPair>>): Promise<void> {
  const { hub, phone } = pair;
  const doc = new Y.Doc();
  const sendVia = (from: typeof hub, to: string) => (t: string, d: unknown, qos: 0 | 1) =>
    void from.endpoint.send(to, t, d, qos).catch((err: unknown) => console.error("send failed", err));
  const server = new DocSyncSession({
    name: "notes",
    doc: src,
    role: "server",
    send: sendVia(hub, phone.endpoint.device),
  });
  const client = new DocSyncSession({ name: "notes", doc, role: "client", send: sendVia(phone, hub.endpoint.device) });
  const offs = [
    hub.endpoint.on("message", (m) => isNotesType(m.t) && server.receive(m.t, m.d)),
    phone.endpoint.on("message", (m) => isNotesType(m.t) && client.receive(m.t, m.d)),
  ];
  const synced = new Promise<void>((resolve) => client.onSynced(resolve));
  server.start();
  client.start();
  await synced;
  if (doc.getText("notes").toString() !== src.getText("notes").toString()) throw new Error("relay copy differs");
  for (const off of offs) off();
  server.close();
  client.close();
  doc.destroy();
}

async function main(): Promise<void> {
  process.stdout.write(`building a document from ${EDITS} edits...\n`);
  const built = buildDoc(EDITS);
  const state = Y.encodeStateAsUpdate(built);
  built.destroy();
  // Every path starts from the document as the hub holds it after loading it
  // from SQLite: the same state, read in one update.
  const src = new Y.Doc();
  Y.applyUpdate(src, state);
  const { dir, cleanup } = tempDir("nlink-bench-docs-");
  const file = `${dir}/hub.db`;
  try {
    // The hub's home copy: the whole history as one stored update.
    let store = await openStore({ file, log });
    let service = await NotesService.open({
      db: store.db,
      canAccess: () => true,
      send: (...a) => net.send(...a),
      log,
      localUser: { name: "bench" },
    });
    const net = new NotesNetwork();
    net.attach(service);
    Y.applyUpdate(service.pad().doc, state);
    await service.flush();

    const rows: { path: string; times: number[] }[] = [
      { path: "Yjs local copy (baseline)", times: [] },
      { path: "Yjs copy + scratch check", times: [] },
      { path: "DocSyncSession pair", times: [] },
      { path: "hub NotesService (SQLite) -> phone", times: [] },
      { path: "DocSyncSession pair via relay", times: [] },
      { path: "hub reopen from SQLite", times: [] },
    ];
    const relay = await startRelay({
      port: 0,
      host: "127.0.0.1",
      db: "memory",
      logger: log,
      appDir: null,
      relayId: "bench-docs",
    });
    const pair = await relayPair(relay.url);
    // One untimed round first: the first pass of each path pays for JIT warm-up.
    for (let r = -1; r < RUNS; r++) {
      const timed = rows.map((row) => (r < 0 ? { path: row.path, times: [] as number[] } : row));
      timed[0]!.times.push(await time(() => baseline(src)));
      timed[1]!.times.push(await time(() => baselineChecked(src)));
      timed[2]!.times.push(await time(() => viaSessions(src)));
      const phone = net.phone(`phone-${r}`);
      timed[3]!.times.push(
        await time(async () => {
          phone.connect();
          await net.settle();
        }),
      );
      if (phone.text.length !== src.getText("notes").length) throw new Error("hub copy differs");
      phone.disconnect();
      phone.destroy();
      net.phones.delete(phone.id);
      await service.close();
      await store.close();
      timed[4]!.times.push(await time(() => viaRelay(src, pair)));
      timed[5]!.times.push(
        await time(async () => {
          store = await openStore({ file, log });
          service = await NotesService.open({
            db: store.db,
            canAccess: () => true,
            send: (...a) => net.send(...a),
            log,
            localUser: { name: "bench" },
          });
        }),
      );
      net.attach(service);
    }
    await service.close();
    await store.close();
    pair.stop();
    await relay.close();

    const base = median(rows[0]!.times);
    process.stdout.write(
      `\nedits ${EDITS}, text ${src.getText("notes").length} chars, state ${(state.length / 1024).toFixed(0)} KiB, ` +
        `sync to a fresh phone: ${lastFrames} frames, ${(lastWireBytes / 1024).toFixed(0)} KiB of JSON; median of ${RUNS} runs\n\n`,
    );
    const table = rows.map((row) => ({
      path: row.path,
      "median ms": median(row.times).toFixed(1),
      "x baseline": (median(row.times) / base).toFixed(2),
    }));
    console.table(table);
  } finally {
    src.destroy();
    cleanup();
  }
}

await main();
