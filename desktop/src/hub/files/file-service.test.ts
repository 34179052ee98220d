import { createHash, randomBytes } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { AppType, type FileAck } from "@neural-link/shared/app";
import type { IncomingMessage, MessageHandler } from "@neural-link/shared/client";
import { b64uDecode, b64uEncode } from "@neural-link/shared/encoding";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileTransfersRepo } from "../store/file-transfers-repo";
import { openTempStore, silentLog, tempDir } from "../store/test-support";
import type { Store } from "../store";
import { FileService } from "./file-service";
import { buildFileHandlers } from "./file-handlers";
import { sanitizeName } from "./file-names";

const PHONE = "P".repeat(43);
const OTHER = "Q".repeat(43);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const xferId = () => b64uEncode(randomBytes(16));

/**
 * The file service against a real temp folder and a real SQLite file. The link is
 * a recorder (what the service sends, the handlers it registers): the relay path
 * itself is tested in files-over-relay.test.ts.
 */
describe("FileService", () => {
  let store: Store;
  let cleanupStore: () => Promise<void>;
  let root: { dir: string; cleanup: () => void };
  let landing: string;
  let dataDir: string;
  let sent: { to: string; t: string; d: unknown }[];
  let handlers: Map<string, MessageHandler>;
  let copies: { device: string; file: string; dest: string }[];
  let files: FileService;
  let h: ReturnType<typeof buildFileHandlers>;
  let maxFileBytes: number;

  beforeEach(async () => {
    ({ store, cleanup: cleanupStore } = await openTempStore());
    root = tempDir("nlink-files-");
    landing = join(root.dir, "Downloads", "Neural Link");
    dataDir = join(root.dir, "data");
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, "identity.json"), "secret");
    sent = [];
    handlers = new Map();
    copies = [];
    maxFileBytes = 1024 * 1024;
    files = new FileService({
      repo: new FileTransfersRepo(store.db),
      link: {
        send: async (to, t, d) => {
          sent.push({ to, t, d });
          return { outcome: "unconfirmed" };
        },
        handle: (t, fn) => handlers.set(t, fn),
      },
      rules: { dataDir, home: root.dir },
      settings: async () => ({
        landingDir: landing,
        maxFileBytes,
        chunkBytes: 1024,
        windowBytes: 8192,
        ackEveryBytes: 2048,
      }),
      requestCopy: async (device, file, dest) => {
        copies.push({ device, file, dest });
        return "task-1";
      },
      log: silentLog,
    });
    h = buildFileHandlers(files);
  });

  afterEach(async () => {
    await files.stop();
    await cleanupStore();
    root.cleanup();
  });

  const chunk = async (from: string, xfer: string, offset: number, data: Uint8Array) => {
    const m: IncomingMessage = {
      id: xferId(),
      from,
      qos: 0,
      ts: Date.now(),
      t: AppType.FILE_CHUNK,
      d: { xfer, offset, data: b64uEncode(data) },
    };
    await handlers.get(AppType.FILE_CHUNK)!(m);
  };
  /** The phone's `file.ack` for a download, as the link hands it to the service. */
  const fileAck = (xfer: string, received: number, resend?: true) =>
    handlers.get(AppType.FILE_ACK)!({
      id: xferId(),
      from: PHONE,
      qos: 0,
      ts: Date.now(),
      t: AppType.FILE_ACK,
      d: { xfer, received, ...(resend ? { resend } : {}) },
    });
  const send = async (name: string, bytes: Uint8Array, opts: { sum?: string; device?: string } = {}) => {
    const device = opts.device ?? PHONE;
    const xfer = xferId();
    const begun = await h["files.put"]({ xfer, name, size: bytes.length } as never, { device });
    for (let o = 0; o < bytes.length; o += begun.chunk_bytes)
      await chunk(device, xfer, o, bytes.subarray(o, o + begun.chunk_bytes));
    return h["files.finish"]({ xfer, sha256: opts.sum ?? sha(bytes) } as never, { device });
  };

  it("keeps a file with its bytes, and never overwrites: name (1).ext, name (2).ext", async () => {
    const a = randomBytes(5000);
    const b = randomBytes(3000);
    const c = randomBytes(10);
    expect((await send("photo.jpg", a)).transfer).toMatchObject({ state: "done", name: "photo.jpg", size: 5000 });
    expect((await send("photo.jpg", b)).transfer.name).toBe("photo (1).jpg");
    expect((await send("photo.jpg", c)).transfer.name).toBe("photo (2).jpg");
    expect(readFileSync(join(landing, "photo.jpg")).equals(a)).toBe(true);
    expect(readFileSync(join(landing, "photo (1).jpg")).equals(b)).toBe(true);
    // No partial files are left behind.
    expect(readdirSync(landing).sort()).toEqual(["photo (1).jpg", "photo (2).jpg", "photo.jpg"]);
    // Acks went back as the window moved (every 2048 bytes and at the end).
    const acks = sent.filter((s) => s.t === AppType.FILE_ACK).map((s) => (s.d as FileAck).received);
    expect(acks.slice(0, 3)).toEqual([2048, 4096, 5000]);
  });

  it("sanitizes names: no traversal, no hidden dotfiles, no control characters", async () => {
    expect(sanitizeName("../../.bashrc")).toBe("bashrc");
    expect(sanitizeName("..\\..\\evil.exe")).toBe("evil.exe");
    expect(sanitizeName("a\u0000b\u001b[31m.txt")).toBe("ab[31m.txt");
    expect(sanitizeName("invoice\u202Egpj.exe")).toBe("invoicegpj.exe");
    expect(sanitizeName("...")).toBe("file");
    expect(sanitizeName("CON.txt")).toBe("_CON.txt");
    expect(new TextEncoder().encode(sanitizeName("é".repeat(300) + ".png")).length).toBeLessThanOrEqual(200);
    const t = (await send("../../.ssh/authorized_keys", randomBytes(20))).transfer;
    expect(t.name).toBe("authorized_keys");
    expect(t.path).toBe(join(landing, "authorized_keys"));
  });

  it("a checksum mismatch keeps nothing and says why", async () => {
    const { transfer } = await send("doc.pdf", randomBytes(4000), { sum: "0".repeat(64) });
    expect(transfer.state).toBe("failed");
    expect(transfer.error).toMatch(/checksum did not match.*not kept/);
    expect(readdirSync(landing)).toEqual([]);
  });

  it("refuses a file over the size limit before any byte is sent", async () => {
    maxFileBytes = 1000;
    await expect(
      h["files.put"]({ xfer: xferId(), name: "big.bin", size: 1001 } as never, { device: PHONE }),
    ).rejects.toMatchObject({ code: "too_large", message: expect.stringMatching(/size limit/) });
  });

  it("resumes from the bytes on disk after the service restarts, and ignores gaps and foreign chunks", async () => {
    const bytes = randomBytes(6000);
    const xfer = xferId();
    await h["files.put"]({ xfer, name: "r.bin", size: bytes.length } as never, { device: PHONE });
    await chunk(PHONE, xfer, 0, bytes.subarray(0, 1024));
    await chunk(PHONE, xfer, 2048, bytes.subarray(2048, 3072)); // a gap: ignored, a resend asked
    expect(sent.at(-1)).toMatchObject({ t: AppType.FILE_ACK, d: { received: 1024, resend: true } });
    await chunk(OTHER, xfer, 1024, randomBytes(1024)); // another device's bytes are ignored
    await files.stop(); // the hub stops; the partial file stays
    const again = await h["files.put"]({ xfer, name: "r.bin", size: bytes.length } as never, { device: PHONE });
    expect(again.offset).toBe(1024);
    for (let o = 1024; o < bytes.length; o += 1024) await chunk(PHONE, xfer, o, bytes.subarray(o, o + 1024));
    const done = await h["files.finish"]({ xfer, sha256: sha(bytes) } as never, { device: PHONE });
    expect(done.transfer.state).toBe("done");
    expect(readFileSync(join(landing, "r.bin")).equals(bytes)).toBe(true);
    await expect(h["files.put"]({ xfer, name: "r.bin", size: 6000 } as never, { device: OTHER })).rejects.toMatchObject(
      { code: "not_found" },
    );
  });

  it("refuses to read or list the hub's data folder, also through a symlink, and hides it in listings", async () => {
    symlinkSync(dataDir, join(root.dir, "innocent"));
    await expect(
      h["files.get"]({ xfer: xferId(), path: join(dataDir, "identity.json") } as never, { device: PHONE }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      h["files.get"]({ xfer: xferId(), path: join(root.dir, "innocent", "identity.json") } as never, { device: PHONE }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      h["files.list"]({ path: join(root.dir, "innocent") } as never, { device: PHONE }),
    ).rejects.toMatchObject({ code: "forbidden" });
    writeFileSync(join(root.dir, "notes.txt"), "hello");
    const listing = await h["files.list"]({ path: root.dir } as never, { device: PHONE });
    // "data" and the link "innocent" into it are left out.
    expect(listing.entries.map((e) => e.name)).toEqual(["notes.txt"]);
  });

  it("refuses the hub's own process seen through /proc (its environment, its open files), /sys and /dev", async () => {
    // /proc/self/fd/N resolves to the path of a file the hub holds open, wherever it lies.
    const held = join(root.dir, "held-open.txt");
    writeFileSync(held, "the hub has this open");
    const fd = openSync(held, "r");
    try {
      for (const path of [
        "/proc/self/environ",
        `/proc/${process.pid}/cmdline`,
        `/proc/self/fd/${fd}`,
        "/sys/kernel/hostname",
        "/dev/zero",
      ]) {
        await expect(h["files.get"]({ xfer: xferId(), path } as never, { device: PHONE }), path).rejects.toMatchObject({
          code: "forbidden",
        });
      }
      symlinkSync("/proc/self", join(root.dir, "me"));
      await expect(
        h["files.get"]({ xfer: xferId(), path: join(root.dir, "me", "environ") } as never, { device: PHONE }),
      ).rejects.toMatchObject({ code: "forbidden" });
      await expect(h["files.list"]({ path: "/proc" } as never, { device: PHONE })).rejects.toMatchObject({
        code: "forbidden",
      });
    } finally {
      closeSync(fd);
    }
  });

  it("streams a download from the phone's ack, going back only when asked", async () => {
    const bytes = randomBytes(20_000);
    writeFileSync(join(root.dir, "report.bin"), bytes);
    const xfer = xferId();
    const got = await h["files.get"]({ xfer, path: join(root.dir, "report.bin") } as never, { device: PHONE });
    expect(got.transfer).toMatchObject({ size: 20_000, sha256: sha(bytes), state: "sending" });
    const ack = (received: number, resend?: true) => fileAck(xfer, received, resend);
    await ack(0, true);
    const chunks = () =>
      sent.filter((s) => s.t === AppType.FILE_CHUNK).map((s) => s.d as { offset: number; data: string });
    await expect.poll(() => chunks().length).toBe(8); // one window of 8192 bytes in 1024-byte chunks
    await ack(8192);
    await expect.poll(() => chunks().length).toBe(16);
    await ack(4096, true); // the phone lost bytes after 4096
    await expect.poll(() => chunks().some((c, i) => i >= 16 && c.offset === 4096)).toBe(true);
    await ack(20_000);
    await expect
      .poll(async () => (await h["files.transfers"]({} as never, { device: PHONE })).transfers[0]?.state)
      .toBe("done");
  });

  it("a download restarted after its file grew streams the size described; one whose file got shorter fails", async () => {
    const path = join(root.dir, "app.log");
    const bytes = randomBytes(6000);
    writeFileSync(path, bytes);
    const ackFor = (xfer: string) => (received: number) => fileAck(xfer, received, true);
    const chunksOf = (xfer: string) =>
      sent
        .filter((s) => s.t === AppType.FILE_CHUNK && (s.d as { xfer: string }).xfer === xfer)
        .map((s) => s.d as { offset: number; data: string });
    const state = async (xfer: string) =>
      (await h["files.transfers"]({} as never, { device: PHONE })).transfers.find((t) => t.xfer === xfer);

    const grows = xferId();
    await h["files.get"]({ xfer: grows, path } as never, { device: PHONE });
    await ackFor(grows)(0);
    await expect.poll(() => chunksOf(grows).length).toBeGreaterThan(0);
    await files.stop(); // the hub stops: the stream is gone, the transfer stays
    appendFileSync(path, randomBytes(3000));
    await ackFor(grows)(1024); // the phone goes on: the stream starts again from the file as it is now
    await expect.poll(() => chunksOf(grows).some((c) => c.offset === 5120)).toBe(true);
    expect(Math.max(...chunksOf(grows).map((c) => c.offset + b64uDecode(c.data).length))).toBe(6000);
    await ackFor(grows)(6000);
    await expect.poll(async () => (await state(grows))?.state).toBe("done");

    const shrinks = xferId();
    await h["files.get"]({ xfer: shrinks, path } as never, { device: PHONE });
    await files.stop();
    writeFileSync(path, bytes.subarray(0, 100));
    await ackFor(shrinks)(0);
    await expect.poll(async () => (await state(shrinks))?.state).toBe("failed");
    expect((await state(shrinks))?.error).toMatch(/the file changed on the desktop/);
    // Asked for again, the phone hears that it ended.
    expect((await h["files.get"]({ xfer: shrinks, path } as never, { device: PHONE })).transfer.state).toBe("failed");
  });

  it("files as bytes: chunks sent as bytes land, and a download asked for as bytes streams bytes", async () => {
    const bytes = randomBytes(5000);
    const xfer = xferId();
    const begun = await h["files.put"]({ xfer, name: "raw.bin", size: bytes.length } as never, { device: PHONE });
    expect(begun.bytes).toBe(true);
    for (let o = 0; o < bytes.length; o += 1024) {
      const m: IncomingMessage = {
        id: xferId(),
        from: PHONE,
        qos: 0,
        ts: Date.now(),
        t: AppType.FILE_CHUNK,
        d: { xfer, offset: o, data: bytes.subarray(o, o + 1024) },
      };
      await handlers.get(AppType.FILE_CHUNK)!(m);
    }
    const done = await h["files.finish"]({ xfer, sha256: sha(bytes) } as never, { device: PHONE });
    expect(done.transfer.state).toBe("done");
    expect(readFileSync(join(landing, "raw.bin")).equals(bytes)).toBe(true);

    const down = xferId();
    const path = join(landing, "raw.bin");
    expect((await h["files.get"]({ xfer: down, path, bytes: true } as never, { device: PHONE })).bytes).toBe(true);
    await fileAck(down, 0, true);
    const data = () =>
      sent.filter((x) => x.t === AppType.FILE_CHUNK).map((x) => (x.d as { data: string | Uint8Array }).data);
    await expect.poll(() => data().length).toBe(5);
    expect(data().every((d) => d instanceof Uint8Array)).toBe(true);
    expect(Buffer.concat(data() as Uint8Array[]).equals(bytes)).toBe(true);
    // Asked again without `bytes` (an older phone's app after an update back): base64url from then on.
    sent.length = 0;
    expect((await h["files.get"]({ xfer: down, path } as never, { device: PHONE })).bytes).toBeUndefined();
    await fileAck(down, 0, true);
    await expect.poll(() => data().length).toBeGreaterThan(0);
    expect(typeof data()[0]).toBe("string");
  });

  it("cancels an upload nobody resumed for partialKeepMs and deletes its partial file", async () => {
    const xfer = xferId();
    await h["files.put"]({ xfer, name: "gone.bin", size: 5000 } as never, { device: PHONE });
    await chunk(PHONE, xfer, 0, randomBytes(1024));
    await files.stop();
    expect(readdirSync(landing)).toEqual([`.nlink-${xfer}.part`]);
    expect(await files.uploads.sweep(Date.now(), 60_000)).toBe(0); // recent: kept
    expect(await files.uploads.sweep(Date.now() + 61_000, 60_000)).toBe(1);
    expect(readdirSync(landing)).toEqual([]);
    const [t] = (await h["files.transfers"]({} as never, { device: PHONE })).transfers;
    expect(t).toMatchObject({ xfer, state: "cancelled", error: expect.stringMatching(/nobody resumed/) });
  });

  it("a file sent for a folder outside the landing folder lands, then its copy waits for approval", async () => {
    const dest = join(root.dir, "project");
    mkdirSync(dest);
    const xfer = xferId();
    const bytes = randomBytes(100);
    await h["files.put"]({ xfer, name: "a.txt", size: 100, dest } as never, { device: PHONE });
    await chunk(PHONE, xfer, 0, bytes);
    const { transfer } = await h["files.finish"]({ xfer, sha256: sha(bytes) } as never, { device: PHONE });
    expect(transfer).toMatchObject({ state: "done", task: "task-1" });
    expect(copies).toEqual([{ device: PHONE, file: join(landing, "a.txt"), dest }]);
    await expect(
      h["files.put"]({ xfer: xferId(), name: "k", size: 1, dest: dataDir } as never, { device: PHONE }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
