import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { buildFtsQuery, planFtsSearch } from "./fts-query";

describe("buildFtsQuery", () => {
  it("quotes every word and makes the last one a prefix", () => {
    expect(buildFtsQuery("deploy prod")).toBe('"deploy" "prod"*');
    expect(buildFtsQuery("  one  ")).toBe('"one"*');
  });

  it("doubles quotes inside a word", () => {
    expect(buildFtsQuery('say "hi')).toBe('"say" """hi"*');
  });

  it("returns null when nothing searchable is left", () => {
    expect(buildFtsQuery("")).toBeNull();
    expect(buildFtsQuery("   ")).toBeNull();
    expect(buildFtsQuery('" * - ( ) :')).toBeNull();
  });

  it("makes no prefix of a one-character last token", () => {
    expect(buildFtsQuery("plan a")).toBe('"plan" "a"');
    expect(buildFtsQuery("x-y")).toBe('"x-y"');
  });

  it("treats control characters as spaces", () => {
    expect(buildFtsQuery("ab\u0000cd\tef")).toBe('"ab" "cd" "ef"*');
  });

  it("ignores text past the length cap", () => {
    expect(buildFtsQuery(`${"x".repeat(600)} tail`)).toBe(`"${"x".repeat(512)}"*`);
  });

  it("caps the number of words", () => {
    expect(buildFtsQuery("aa bb cc dd", { maxTerms: 2 })).toBe('"aa" "bb"*');
  });

  // Real FTS5: every one of these would be a syntax error or an operator if passed raw.
  it("never makes FTS5 raise, whatever the user types", () => {
    const db = new BetterSqlite3(":memory:");
    db.exec("CREATE VIRTUAL TABLE t USING fts5(text)");
    db.prepare("INSERT INTO t (text) VALUES (?)").run(
      'release NOT ready: "quoted" (paren) AND/OR near* col:val ^caret',
    );
    const hostile = [
      '"',
      '""',
      "'",
      "AND",
      "OR",
      "NOT",
      "NEAR(a b)",
      "a OR",
      "a AND",
      "(",
      ")",
      "*",
      "a*b",
      "-a",
      "+",
      "col:val",
      "text:release",
      "^caret",
      '"unterminated',
      "{a b}",
      "a NEAR/2 b",
      "\\",
      "🙂",
      "é",
      "ready:",
      "paren)",
      'quoted"',
      "a\u0000b",
      "NOT ready",
    ];
    const search = db.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid DESC LIMIT 5");
    for (const q of hostile) {
      const match = buildFtsQuery(q);
      if (match !== null) expect(() => search.all(match), q).not.toThrow();
    }
    // Random mixes of FTS syntax characters, letters and controls.
    const alphabet = [
      '"',
      "'",
      "*",
      "(",
      ")",
      ":",
      "^",
      "-",
      "+",
      "{",
      "}",
      " ",
      "a",
      "b",
      "N",
      "O",
      "T",
      "é",
      "\u0000",
      "\n",
      "/",
      "2",
    ];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const q = Array.from(
        { length: 1 + Math.floor(rand() * 12) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join("");
      const match = buildFtsQuery(q);
      if (match !== null) expect(() => search.all(match), JSON.stringify(q)).not.toThrow();
    }
    // Operators typed by the user are searched as words.
    expect(search.all(buildFtsQuery("NOT ready"))).toHaveLength(1);
    expect(search.all(buildFtsQuery("col:val"))).toHaveLength(1);
    expect(search.all(buildFtsQuery("rele"))).toHaveLength(1);
    expect(search.all(buildFtsQuery("missing"))).toHaveLength(0);
    db.close();
  });
});

describe("planFtsSearch", () => {
  it("streams short prefixes straight from the prefix index", () => {
    expect(planFtsSearch("deploy st")).toEqual({ match: '"deploy" "st"*' });
    expect(planFtsSearch("sta")).toEqual({ match: '"sta"*' });
  });

  it("searches a longer ASCII last word by its stem and checks whole-word prefixes", () => {
    const plan = planFtsSearch("deploy Status")!;
    expect(plan.match).toBe('"deploy" "sta"*');
    expect(plan.stem!.exact).toBe('"deploy" "Status"*');
    const verify = plan.stem!.verify;
    expect(verify("the status is green")).toBe(true);
    expect(verify("STATUSES: fine")).toBe(true);
    expect(verify("(status)")).toBe(true);
    expect(verify("a státus with an accent")).toBe(true);
    expect(verify("station only")).toBe(false);
    expect(verify("substatus is not a word start")).toBe(false);
  });

  it("folds accents before choosing the stem", () => {
    const plan = planFtsSearch("Café")!;
    expect(plan.match).toBe('"caf"*');
    expect(plan.stem!.verify("un cafe")).toBe(true);
    expect(plan.stem!.verify("CAFÉS")).toBe(true);
  });

  it("keeps the plain prefix for non-ASCII or multi-token last words", () => {
    expect(planFtsSearch("привет")).toEqual({ match: '"привет"*' });
    expect(planFtsSearch("build-status")).toEqual({ match: '"build-status"*' });
  });

  it("returns null when nothing is searchable", () => {
    expect(planFtsSearch(" ** ")).toBeNull();
  });
});

describe("literal runs (emoji)", () => {
  it("plans emoji as literals beside the words, and alone as a table scan", () => {
    expect(planFtsSearch("🚀")).toEqual({ match: null, literals: ["🚀"] });
    expect(planFtsSearch("ship 🚀 it")).toEqual({ match: '"ship" "it"*', literals: ["🚀"] });
    expect(planFtsSearch("👍🏽 👨‍👩‍👧")).toEqual({ match: null, literals: ["👍🏽", "👨‍👩‍👧"] });
    // FTS syntax characters are still not literals: nothing searchable is left.
    expect(planFtsSearch('" * - ( ) :')).toBeNull();
  });
});
