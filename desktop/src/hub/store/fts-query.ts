/**
 * Turns what a person typed into FTS5 MATCH expressions that can never be a
 * syntax error: every whitespace-separated word becomes a quoted string (inner
 * quotes doubled), so FTS operators typed by the user (AND, NEAR, `-`, `*`, `:`,
 * `^`) are plain text, and control characters (a NUL ends FTS5's query string
 * early) act as spaces. Words are ANDed (FTS5's implicit operator). The last word
 * is a prefix, so results appear while the user is still typing.
 *
 * Prefix cost: FTS5 answers `"abc"*` from a prefix index (migration 002 builds one
 * for 2 and 3 characters) by streaming one doclist newest-first, which stops at the
 * LIMIT. A longer prefix has no index, and FTS5 merges the doclists of every term
 * with that prefix before returning the first row: about 30 ms at 1M messages for a
 * word in most of them. So a longer ASCII last word is searched by its 3-character
 * stem, streamed newest-first, and each candidate is checked for the whole prefix
 * (`verify`); `planFtsSearch` describes that plan.
 */

/** Prefix lengths with an FTS5 prefix index (must match `prefix=` in migration 002). */
export const FTS_PREFIX_INDEX = [2, 3] as const;
const STEM = 3;

/** Words beyond this many are ignored: a pasted paragraph should not become a huge query. */
export const FTS_MAX_TERMS = 16;
/** Characters beyond this many are ignored, for the same reason. */
export const FTS_MAX_QUERY_CHARS = 512;

/** Case- and diacritic-folding close to SQLite's `unicode61 remove_diacritics 2`. */
export function foldText(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Tokens as unicode61 sees them: runs of letters, digits and private-use characters. */
function tokens(s: string): string[] {
  return foldText(s)
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter((t) => t.length > 0);
}

function words(input: string, maxTerms: number): string[] {
  return input
    .slice(0, FTS_MAX_QUERY_CHARS)
    .normalize("NFKC")
    .replace(/\p{Cc}/gu, " ")
    .split(/\s+/u)
    .filter((w) => tokens(w).length > 0) // anything else tokenizes to nothing: an empty phrase is an FTS5 error
    .slice(0, maxTerms);
}

const quote = (w: string) => `"${w.replaceAll('"', '""')}"`;

/**
 * The plain expression: all words quoted, the last one a prefix when its last token
 * has at least 2 characters (a 1-character prefix would touch a large part of the
 * index and says little). Returns null when nothing searchable is left.
 *
 * @example buildFtsQuery('deploy "prod') // => '"deploy" """prod"*'
 */
export function buildFtsQuery(input: string, opts: { maxTerms?: number } = {}): string | null {
  const ws = words(input, opts.maxTerms ?? FTS_MAX_TERMS);
  if (ws.length === 0) return null;
  const last = tokens(ws.at(-1)!).at(-1)!;
  return ws.map((w, i) => (i === ws.length - 1 && last.length >= 2 ? `${quote(w)}*` : quote(w))).join(" ");
}

/**
 * Emoji and other pictographic symbols: unicode61 treats them as separators, so
 * they never reach the index and an FTS query cannot find them. A run of them
 * (with its modifiers, joiners and variation selectors) is searched as a literal
 * substring of the text instead (`FtsPlan.literals`).
 */
const LITERAL_RUN =
  /[\p{Extended_Pictographic}\p{So}](?:[\p{Extended_Pictographic}\p{So}\p{Emoji_Modifier}]|\p{M}|\u200d)*/gu;

/** The symbol runs in what was typed (at most FTS_MAX_TERMS of them), each to be found verbatim. */
export function literalRuns(input: string, opts: { maxTerms?: number } = {}): string[] {
  const text = input.slice(0, FTS_MAX_QUERY_CHARS).normalize("NFC");
  return [...new Set(text.match(LITERAL_RUN) ?? [])].slice(0, opts.maxTerms ?? FTS_MAX_TERMS);
}

export interface FtsPlan {
  /**
   * The MATCH expression to stream newest-first; null when only literals were typed (then the table is scanned
   * newest-first).
   */
  match: string | null;
  /** Present when the query holds emoji or symbols: each must occur in a hit's text as typed. */
  literals?: string[];
  /**
   * Present when `match` searches the last word by its stem: a row is a hit only
   * if `verify(text)` holds. `exact` is the plain expression, for when the stem
   * turns up too few hits.
   */
  stem?: { verify: (text: string) => boolean; exact: string };
}

/** Chooses how to run a search; null when nothing searchable is left. */
export function planFtsSearch(input: string, opts: { maxTerms?: number } = {}): FtsPlan | null {
  const literals = literalRuns(input, opts);
  const plan = planWords(input, opts);
  if (literals.length === 0) return plan;
  return { ...(plan ?? { match: null }), literals };
}

function planWords(input: string, opts: { maxTerms?: number }): FtsPlan | null {
  const exact = buildFtsQuery(input, opts);
  if (exact === null) return null;
  const ws = words(input, opts.maxTerms ?? FTS_MAX_TERMS);
  const lastTokens = tokens(ws.at(-1)!);
  const last = lastTokens[0]!;
  // Only a one-token ASCII word: its folding in JS is certainly the same as SQLite's.
  if (lastTokens.length !== 1 || last.length <= STEM || !/^[a-z0-9]+$/.test(last)) return { match: exact };
  const head = ws.slice(0, -1).map(quote);
  const startsWord = new RegExp(`(?:^|[^\\p{L}\\p{N}\\p{Co}])${last}`, "u");
  return {
    match: [...head, `"${last.slice(0, STEM)}"*`].join(" "),
    stem: { verify: (text) => startsWord.test(foldText(text)), exact },
  };
}
