import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { generateIdentity, sealEnvelope, sharedKey } from "../crypto/index";
import { b64uEncode } from "../encoding/b64u";
import { PROTOCOL_DEFAULTS } from "../protocol/defaults";
import { ChunkAssembler, splitIntoChunks } from "./chunking";
import { MemoryChannel } from "./memory-channel";
import { NotesType } from "./messages";
import { DocSyncSession } from "./session";
import { SYNC_DEFAULTS } from "./settings";

const small = { chunkBytes: 10, maxMessageBytes: 100, chunkTimeoutMs: 1000, maxPartialMessages: 2 };

describe("chunking", () => {
  it("a full-size chunk, sealed in a real envelope, fits the relay's body limit", () => {
    const me = generateIdentity();
    const peer = generateIdentity();
    const key = sharedKey(peer.boxPublicKey, me.boxSecretKey);
    const bytes = new Uint8Array(SYNC_DEFAULTS.chunkBytes * 2).fill(7);
    const [first] = splitIntoChunks(bytes, SYNC_DEFAULTS.chunkBytes)!;
    const d = { doc: "drafts", data: b64uEncode(first!.bytes), chunk: { id: first!.id, i: 9999, n: 10000 } };
    const id = b64uEncode(new Uint8Array(16));
    const dev = b64uEncode(new Uint8Array(32));
    const sealed = sealEnvelope(key, { v: 1, id, from: dev, to: dev, ts: Date.now(), t: NotesType.SYNC, d });
    expect(sealed.length).toBeLessThanOrEqual(PROTOCOL_DEFAULTS.maxBodyBytes);
    // And the SEND carrying it fits one gateway message.
    expect(
      JSON.stringify({ op: 5, d: { id, to: dev, body: b64uEncode(sealed), qos: 1, ref: "x".repeat(64) } }).length,
    ).toBeLessThanOrEqual(PROTOCOL_DEFAULTS.maxMessageBytes);
  });

  it("a message that fits one frame is not chunked", () => {
    expect(splitIntoChunks(new Uint8Array(10), 10)).toBeNull();
    expect(splitIntoChunks(new Uint8Array(11), 10)?.map((c) => c.bytes.length)).toEqual([10, 1]);
  });

  it("reassembles pieces in any order and ignores repeats", () => {
    const bytes = Uint8Array.from({ length: 35 }, (_, i) => i);
    const chunks = splitIntoChunks(bytes, 10)!;
    const asm = new ChunkAssembler(small, () => 0);
    expect(asm.add(chunks[3]!)).toBeNull();
    expect(asm.add(chunks[0]!)).toBeNull();
    expect(asm.add(chunks[0]!)).toBeNull();
    expect(asm.add(chunks[2]!)).toBeNull();
    expect(asm.add(chunks[1]!)).toEqual(bytes);
    expect(asm.heldBytes).toBe(0);
  });

  it("keeps its buffer bounded", () => {
    let now = 0;
    const asm = new ChunkAssembler(small, () => now);
    const piece = (id: string, i: number, n: number, len = 10) => ({ id, i, n, bytes: new Uint8Array(len) });
    const code = (f: () => unknown) => {
      try {
        f();
        return "ok";
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    expect(code(() => asm.add(piece("aaaaaaaaaaa", 0, 11)))).toBe("too_large"); // 11 x 10 > 100 + 10
    expect(code(() => asm.add(piece("aaaaaaaaaaa", 0, 3, 11)))).toBe("bad_chunk"); // over chunkBytes
    expect(code(() => asm.add(piece("aaaaaaaaaaa", 0, 3, 4)))).toBe("bad_chunk"); // short middle piece
    expect(code(() => asm.add(piece("aaaaaaaaaaa", 0, 3)))).toBe("ok");
    expect(code(() => asm.add(piece("aaaaaaaaaaa", 1, 4)))).toBe("bad_chunk"); // count changed
    expect(code(() => asm.add(piece("bbbbbbbbbbb", 0, 3)))).toBe("ok");
    expect(code(() => asm.add(piece("ccccccccccc", 0, 3)))).toBe("ok");
    expect(code(() => asm.add(piece("ddddddddddd", 0, 3)))).toBe("bad_chunk"); // a third message at once
    expect(asm.heldBytes).toBe(20);
    now = 1001; // both half-received messages time out
    expect(code(() => asm.add(piece("ddddddddddd", 0, 3)))).toBe("ok");
    expect(asm.heldBytes).toBe(10);
  });

  it("holds no more than maxMessageBytes across messages", () => {
    const asm = new ChunkAssembler({ ...small, maxMessageBytes: 25 }, () => 0);
    asm.add({ id: "aaaaaaaaaaa", i: 0, n: 3, bytes: new Uint8Array(10) });
    asm.add({ id: "bbbbbbbbbbb", i: 0, n: 3, bytes: new Uint8Array(10) });
    expect(() => asm.add({ id: "bbbbbbbbbbb", i: 1, n: 3, bytes: new Uint8Array(10) })).toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
    expect(asm.heldBytes).toBe(10);
  });

  it("a multi-MB document round-trips through two sessions in chunks", () => {
    const hub = new Y.Doc();
    const text = hub.getText("notes");
    // Incompressible content so the state really is several MB.
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16).toString(36);
    let body = "";
    while (body.length < 3_000_000) body += rand();
    text.insert(0, body);
    const phone = new Y.Doc();
    const toHub = new MemoryChannel((t, d) => hubSession.receive(t, d));
    const toPhone = new MemoryChannel((t, d) => phoneSession.receive(t, d));
    const framesToPhone: number[] = [];
    const hubSession = new DocSyncSession({
      name: "notes",
      doc: hub,
      role: "server",
      send: (t, d, qos) => {
        framesToPhone.push(JSON.stringify(d).length);
        toPhone.send(t, d, qos);
      },
    });
    const phoneSession = new DocSyncSession({ name: "notes", doc: phone, role: "client", send: toHub.send });
    hubSession.start();
    phoneSession.start();
    while (toHub.flush() + toPhone.flush() > 0);
    expect(phone.getText("notes").toString()).toBe(body);
    expect(framesToPhone.length).toBeGreaterThan(5);
    expect(Math.max(...framesToPhone)).toBeLessThan(PROTOCOL_DEFAULTS.maxBodyBytes);
  });
});
