import { createHash, randomBytes } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, type Task } from "@neural-link/shared/app";
import { downloadFile, newXferId, TransferCancelled, uploadFile } from "@neural-link/shared/files";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { FilesPhone } from "../test/files-phone";

const log = pino({ level: "silent" });
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MiB = 1024 * 1024;

/**
 * Files both ways through a real relay (PGlite on disk, so it keeps grants
 * across a restart) and a real HubNode, with a phone built from shared alone:
 * transfers cut mid-way (the phone's socket dropped, the relay restarted) go
 * on from the receiver's offset and arrive with the same SHA-256.
 */
describe("files over the relay", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let phone: FilesPhone;
  let landing: string;

  const startRelay = (port: number) => startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port, log });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-files-e2e-"));
    relay = await startRelay(0);
    hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "Files Hub",
      approvals: "phone",
      log,
      executor: { defaultCwd: dir },
    });
    await hub.whenOnline();
    landing = join(dir, "landing");
    await hub.updateFileSettings({ landingDir: landing });
    phone = new FilesPhone(relay.localUrl);
    await phone.connect();
    await phone.pairWith(hub);
  });

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends a file through a dropped connection and a relay restart, and keeps its exact bytes", async () => {
    const bytes = randomBytes(24 * MiB + 12345);
    const source = {
      name: "holiday.mov",
      size: bytes.length,
      read: async (o: number, n: number) => bytes.subarray(o, o + n),
    };
    const events: string[] = [];
    let cut = false;
    let restarted: Promise<void> | null = null;
    const t = await uploadFile(phone, source, {
      settings: { stallMs: 1000 },
      onProgress: (sent) => {
        if (!cut && sent > 6 * MiB) {
          cut = true;
          events.push("cut");
          phone.cut();
        }
        if (cut && !restarted && sent > 14 * MiB) {
          events.push("restart");
          const port = relay.port;
          restarted = (async () => {
            await relay.close();
            relay = await startRelay(port);
          })();
        }
      },
    });
    await restarted;
    expect(events).toEqual(["cut", "restart"]);
    expect(t).toMatchObject({ state: "done", name: "holiday.mov", size: bytes.length, sha256: sha(bytes) });
    expect(sha(readFileSync(join(landing, "holiday.mov")))).toBe(sha(bytes));
    // Only the finished file is left: no partial name.
    expect(readdirSync(landing)).toEqual(["holiday.mov"]);
    const list = await hub.listFileTransfers();
    expect(list[0]).toMatchObject({ xfer: t.xfer, state: "done", direction: "up", received: bytes.length });
  });

  it("fetches a desktop file through a dropped connection, checked by its sum", async () => {
    const bytes = randomBytes(9 * MiB + 7);
    const file = join(dir, "report.pdf");
    writeFileSync(file, bytes);
    let cut = false;
    // Chunks come as bytes in byte-tail envelopes (docs/protocol.md section 11, "Files as bytes"), not base64url.
    const kinds = new Set<string>();
    const offKinds = phone.onPush((p) => {
      if (p.t === "file.chunk") kinds.add((p.d as { data: unknown }).data instanceof Uint8Array ? "bytes" : "text");
    });
    const { transfer, parts } = await downloadFile(phone, file, {
      settings: { fetchStallMs: 1000 },
      onProgress: (received) => {
        if (!cut && received > 3 * MiB) {
          cut = true;
          phone.cut();
        }
      },
    });
    offKinds();
    expect([...kinds]).toEqual(["bytes"]);
    expect(cut).toBe(true);
    const got = Buffer.concat(parts);
    expect(got.length).toBe(bytes.length);
    expect(sha(got)).toBe(transfer.sha256);
    expect(sha(got)).toBe(sha(bytes));
  });

  it("a download given up mid-way goes on under the same transfer from the bytes kept; a changed file ends the transfer, saying why", async () => {
    const bytes = randomBytes(6 * MiB + 3);
    const file = join(dir, "movie.mkv");
    writeFileSync(file, bytes);
    const xfer = newXferId();
    // The first page: it keeps what arrives, and is gone after 2 MiB (TransferCancelled here; a reload on a phone).
    const kept: Uint8Array[] = [];
    const page = new AbortController();
    let sha256 = "";
    const first = downloadFile(phone, file, {
      xfer,
      signal: page.signal,
      onStart: (t) => (sha256 = t.sha256 ?? ""),
      onData: (offset, data) => {
        expect(offset).toBe(kept.reduce((n, k) => n + k.length, 0));
        kept.push(data);
        if (offset + data.length > 2 * MiB) page.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(TransferCancelled);
    const held = kept.reduce((n, k) => n + k.length, 0);
    // The next page: the same transfer, from the kept bytes; only the rest comes.
    let startedAt = -1;
    const came: number[] = [];
    const { transfer, parts } = await downloadFile(phone, file, {
      xfer,
      resume: { held: kept, sha256 },
      onStart: (t) => (startedAt = t.received),
      onData: (offset) => came.push(offset),
    });
    expect(startedAt).toBe(held);
    expect(Math.min(...came)).toBe(held);
    expect(sha(Buffer.concat(parts))).toBe(sha(bytes));
    expect(transfer.sha256).toBe(sha256);
    // The file changes while a download is cut off: going on under the same transfer would join old and new bytes.
    // The hub ends that transfer and says why; asked afresh (a new transfer), the file comes whole, and bytes kept
    // under an older sum are not joined to it.
    const cut = new AbortController();
    const kept2: Uint8Array[] = [];
    const xfer2 = newXferId();
    const before = downloadFile(phone, file, {
      xfer: xfer2,
      signal: cut.signal,
      onData: (_offset, data) => (kept2.push(data), void (kept2.length === 2 && cut.abort())),
    });
    await expect(before).rejects.toBeInstanceOf(TransferCancelled);
    const changed = randomBytes(4 * MiB);
    writeFileSync(file, changed);
    const stale = downloadFile(phone, file, {
      xfer: xfer2,
      settings: { fetchStallMs: 1000 },
      resume: { held: kept2, sha256: transfer.sha256! },
    });
    await expect(stale).rejects.toThrow(/the file changed on the desktop/);
    expect((await hub.listFileTransfers()).find((t) => t.xfer === xfer2)?.state).toBe("failed");
    const again = await downloadFile(phone, file, { xfer: newXferId(), resume: { held: kept2, sha256: sha256 } });
    expect(again.transfer.received).toBe(changed.length);
    expect(sha(Buffer.concat(again.parts))).toBe(sha(changed));
  });

  it("a file that grows while it streams comes as it was described; one cut short ends with the reason", async () => {
    const log = join(dir, "app.log");
    const first = randomBytes(5 * MiB);
    writeFileSync(log, first);
    let appended = false;
    const grown = await downloadFile(phone, log, {
      settings: { fetchStallMs: 1000 },
      onData: (offset) => {
        if (appended || offset === 0) return;
        appended = true;
        appendFileSync(log, randomBytes(MiB));
        // The stream stops and is asked for again: it goes on with the size described, not the file's new one.
        phone.cut();
      },
    });
    expect(appended).toBe(true);
    expect(sha(Buffer.concat(grown.parts))).toBe(sha(first));

    const file = join(dir, "shrinking.log");
    writeFileSync(file, randomBytes(12 * MiB));
    let truncated = false;
    const download = downloadFile(phone, file, {
      settings: { fetchStallMs: 1000 },
      // After the first bytes, past what the hub has read ahead (its window is 3 MiB), the file is cut to 1 MiB.
      onData: () => void (truncated ||= (writeFileSync(file, randomBytes(MiB)), true)),
    });
    await expect(download).rejects.toThrow(/the file changed on the desktop/);
    expect(truncated).toBe(true);
  });

  it("never lets a phone read the hub's data folder", async () => {
    await expect(phone.call("files.list", { path: join(dir, "hub") })).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      phone.call("files.get", { xfer: "A".repeat(22), path: join(dir, "hub", "hub.db") }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const listing = await phone.call("files.list", { path: dir });
    expect(listing.entries.map((e) => e.name)).not.toContain("hub");
  });

  it("a file for a folder outside the landing folder is copied there only after approval", async () => {
    const dest = join(dir, "project");
    mkdirSync(dest);
    const bytes = randomBytes(1000);
    const t = await uploadFile(
      phone,
      { name: "notes.txt", size: bytes.length, read: async (o, n) => bytes.subarray(o, o + n) },
      { dest },
    );
    expect(t.state).toBe("done");
    expect(t.task).toBeDefined();
    const { task } = await phone.call("tasks.get", { task: t.task! });
    expect(task).toMatchObject({ state: "awaiting_approval", risk: "high" });
    expect(task.command).toContain("cp -n --");
    expect(existsSync(join(dest, "notes.txt"))).toBe(false);
    const done = new Promise<void>((resolve) => {
      const off = phone.onPush((p) => {
        if (
          p.t === AppType.TASK_UPDATED &&
          (p.d as { task: Task }).task.id === task.id &&
          (p.d as { task: Task }).task.state === "done"
        ) {
          off();
          resolve();
        }
      });
    });
    await phone.call("tasks.approve", { task: task.id, approve: true, command: task.command });
    await done;
    expect(readFileSync(join(dest, "notes.txt")).equals(bytes)).toBe(true);
  });

  it("refuses a file over the size limit set on the desktop", async () => {
    await hub.updateFileSettings({ maxFileBytes: 1000 });
    await expect(
      uploadFile(phone, { name: "big.bin", size: 1001, read: async () => new Uint8Array() }),
    ).rejects.toMatchObject({ code: "too_large" });
    await hub.updateFileSettings({ maxFileBytes: 2 * 1024 ** 3 });
  });
});
