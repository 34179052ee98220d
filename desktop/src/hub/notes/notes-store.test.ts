import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openTempStore } from "../store/test-support";
import { NotesStore } from "./notes-store";

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function docStore() {
  const t = await openTempStore();
  cleanup = t.cleanup;
  return { store: new NotesStore(t.store.db, () => 1000), db: t.store.db };
}

function edits(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i++) doc.getText("notes").insert(i, String(i % 10));
  doc.getText("notes").delete(0, 3);
  return out;
}

function textOf(parts: (Uint8Array | null)[]): string {
  const doc = new Y.Doc();
  for (const p of parts) if (p) Y.applyUpdate(doc, p);
  return doc.getText("notes").toString();
}

describe("NotesStore", () => {
  it("migration 050 made STRICT tables for updates and snapshots", async () => {
    const { db } = await docStore();
    const r = await sql<{
      name: string;
      sql: string;
    }>`SELECT name, sql FROM sqlite_schema WHERE name LIKE 'doc_%' AND type = 'table'`.execute(db);
    expect(r.rows.map((x) => x.name).sort()).toEqual(["doc_snapshots", "doc_updates"]);
    for (const row of r.rows) expect(row.sql).toMatch(/STRICT/);
  });

  it("appends rows per document, in order, and counts what waits for compaction", async () => {
    const { store } = await docStore();
    const us = edits(5);
    for (const u of us) await store.append("notes", u);
    await store.append("drafts", new Uint8Array([0, 0]));
    const loaded = await store.load("notes");
    expect(loaded.snapshot).toBeNull();
    expect(loaded.updates.map((u) => u.data)).toEqual(us);
    expect(await store.pending("notes")).toEqual({ rows: 6, bytes: us.reduce((n, u) => n + u.length, 0) });
    expect(await store.pending("nothing")).toEqual({ rows: 0, bytes: 0 });
  });

  it("compaction replaces the rows by a snapshot with the same content, and only for that document", async () => {
    const { store } = await docStore();
    const us = edits(40);
    for (const u of us) await store.append("notes", u);
    await store.append("drafts", new Uint8Array([0, 0]));
    const expected = textOf(us);
    const res = await store.compact("notes");
    expect(res.rows).toBe(us.length);
    const loaded = await store.load("notes");
    expect(loaded.updates).toEqual([]);
    expect(textOf([loaded.snapshot])).toBe(expected);
    expect((await store.load("drafts")).updates).toHaveLength(1);
    // Rows appended after a compaction are merged by the next one.
    const more = new Y.Doc();
    Y.applyUpdate(more, loaded.snapshot!);
    let late: Uint8Array | null = null;
    more.on("update", (u: Uint8Array) => (late = u));
    more.getText("notes").insert(0, "late ");
    await store.append("notes", late!);
    await store.compact("notes");
    expect(textOf([(await store.load("notes")).snapshot])).toBe(`late ${expected}`);
  });
});
