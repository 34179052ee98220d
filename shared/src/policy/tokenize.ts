/**
 * A shell-words lexer, POSIX sh / bash flavoured, written for judging commands rather than
 * running them: quotes and escapes are removed (so `r\m` and `'rm'` read as `rm`),
 * variables are kept literally (`$HOME` stays `$HOME`), and the source of every command
 * substitution (`$( )`, backticks, `<( )`, `>( )`) is collected so it can be classified too.
 * It never throws: problems (an unclosed quote...) are reported in `errors`.
 */

export type OpToken = ";" | "&&" | "||" | "|" | "|&" | "&" | "(" | ")" | "\n" | ";;";
export type RedirOp = ">" | ">>" | ">|" | "&>" | "&>>" | "<>" | ">&" | "<" | "<&" | "<<" | "<<-" | "<<<";

export interface WordToken {
  kind: "word";
  /** Text with quoting removed; parameter expansions kept as written. */
  text: string;
  /** True when any part was quoted or escaped (so `{` or `function` is not a keyword). */
  quoted: boolean;
  /** True when the text depends on run-time values: an unquoted-or-quoted `$` expansion or a substitution. */
  dynamic: boolean;
  /**
   * True when an unquoted glob (`*`, `?`, `[`) or brace expansion (`{a,b}`, `{1..3}`) can turn the word into other
   * words.
   */
  expands: boolean;
  /**
   * True when expanding the word assigns a variable: `${NAME:=value}`, `${NAME=value}`, `$((NAME = 1))`, `$((NAME++))`.
   */
  assigns: boolean;
  /** Source text of command substitutions inside the word. */
  subs: string[];
}
export interface OperatorToken {
  kind: "op";
  op: OpToken;
}
export interface RedirToken {
  kind: "redir";
  op: RedirOp;
  fd: number | null;
  /** For `<<` and `<<-`: the here-document's body, filled in when the line ends. */
  body?: string;
  /** Substitutions in the body, which the shell runs when the delimiter is unquoted. */
  bodySubs?: string[];
}
export type Token = WordToken | OperatorToken | RedirToken;

export interface LexResult {
  tokens: Token[];
  errors: string[];
}

const META = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const OPS: OpToken[] = [";;", "&&", "||", "|&", ";", "&", "|", "(", ")"];
const REDIRS: RedirOp[] = ["&>>", "<<<", "<<-", ">>", ">|", "&>", "<>", ">&", "<&", "<<", ">", "<"];

/** Index of the `)` closing a `(` whose body starts at `from`, skipping quotes; -1 if none. */
export function findClosingParen(src: string, from: number): number {
  let depth = 1;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '"' || c === "`") {
      const end = c === '"' ? findDoubleQuoteEnd(src, i + 1) : findQuoteEnd(src, i + 1, c);
      if (end < 0) return -1;
      i = end;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

/**
 * Index of the `}` closing a `${` whose body starts at `from`, skipping escapes, double
 * quotes, backticks, `$( )` and nested `${ }`; -1 if none. Single quotes are not
 * skipped (inside double quotes bash treats them literally), so a `}` between them
 * ends the expansion here and whatever follows is read as more of the line.
 */
function findBraceEnd(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === '"' || c === "`") {
      const end = c === '"' ? findDoubleQuoteEnd(src, i + 1) : findQuoteEnd(src, i + 1, c);
      if (end < 0) return -1;
      i = end;
    } else if (c === "$" && src[i + 1] === "(") {
      const end = findClosingParen(src, i + 2);
      if (end < 0) return -1;
      i = end;
    } else if (c === "$" && src[i + 1] === "{") {
      const end = findBraceEnd(src, i + 2);
      if (end < 0) return -1;
      i = end;
    } else if (c === "}") return i;
  }
  return -1;
}

/**
 * Index of the `"` closing a double-quoted string whose body starts at `from`; `$( )`, `${ }` and backticks inside may
 * hold quotes of their own.
 */
function findDoubleQuoteEnd(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    let end = i;
    if (c === "\\") end = i + 1;
    else if (c === '"') return i;
    else if (c === "`") end = findQuoteEnd(src, i + 1, "`");
    else if (c === "$" && src[i + 1] === "(") end = findClosingParen(src, i + 2);
    else if (c === "$" && src[i + 1] === "{") end = findBraceEnd(src, i + 2);
    if (end < 0) return -1;
    i = end;
  }
  return -1;
}

function findQuoteEnd(src: string, from: number, quote: string): number {
  for (let i = from; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === quote) return i;
  }
  return -1;
}

const ANSI_C: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  v: "\v",
};

/** Decodes the body of `$'...'` (ANSI-C quoting), the usual way to hide `rm` as `$'\x72m'`. */
function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|u[0-9a-fA-F]{1,4}|.)/g, (_m, esc: string) => {
    // `\x` or `\u` without hex digits stays as written, as in bash.
    if (esc === "x" || esc === "u") return "\\" + esc;
    if (esc[0] === "x" || esc[0] === "u") return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ANSI_C[esc] ?? esc;
  });
}

class Lexer {
  private i = 0;
  readonly tokens: Token[] = [];
  readonly errors: string[] = [];
  private readonly pendingHeredocs: { token: RedirToken; delimiter: string; stripTabs: boolean; expanded: boolean }[] =
    [];
  /** The word being read with quoted characters masked as `q`, to find unquoted globs and braces. */
  private shape = "";

  constructor(private readonly src: string) {}

  run(): LexResult {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === " " || c === "\t") this.i++;
      else if (c === "\\" && s[this.i + 1] === "\n") this.i += 2;
      else if (c === "#") this.skipComment();
      else if (c === "\n") {
        this.tokens.push({ kind: "op", op: "\n" });
        this.i++;
        this.readHeredocBodies();
      } else if (!this.tryRedir() && !this.tryOp()) this.readWord();
    }
    if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
    return { tokens: this.tokens, errors: this.errors };
  }

  /**
   * Reads the whole source as the inside of a double-quoted string and returns its
   * substitutions. Single quotes are not skipped: where bash would treat them as
   * literal (inside `"${x:-'$(cmd)'}"`) the substitution runs, so it is collected.
   */
  expansionsOnly(): { subs: string[]; errors: string[] } {
    const w: WordToken = {
      kind: "word",
      text: "",
      quoted: true,
      dynamic: false,
      expands: false,
      assigns: false,
      subs: [],
    };
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === "\\") this.i += 2;
      else if (c === "$" || c === "`") this.readDollar(w);
      else this.i++;
    }
    if (w.assigns) this.errors.push("assignment inside an expansion");
    return { subs: w.subs, errors: this.errors };
  }

  /** Collects the substitutions of text embedded in a word (`${…}`, `$((…))`), with any problems. */
  private embedded(text: string, w: WordToken): void {
    const inner = new Lexer(text).expansionsOnly();
    w.subs.push(...inner.subs);
    this.errors.push(...inner.errors);
  }

  private skipComment(): void {
    const nl = this.src.indexOf("\n", this.i);
    this.i = nl < 0 ? this.src.length : nl;
  }

  private tryOp(): boolean {
    const s = this.src;
    // `<(` and `>(` are process substitutions, read as words.
    const op = OPS.find((o) => s.startsWith(o, this.i));
    if (!op) return false;
    this.tokens.push({ kind: "op", op });
    this.i += op.length;
    return true;
  }

  private tryRedir(): boolean {
    const s = this.src;
    let j = this.i;
    while (j < s.length && s[j] >= "0" && s[j] <= "9") j++;
    const fd = j > this.i ? Number(s.slice(this.i, j)) : null;
    if ((s[j] === "<" || s[j] === ">") && s[j + 1] === "(") return false;
    const op = REDIRS.find((r) => s.startsWith(r, j));
    if (!op || (fd !== null && op.startsWith("&"))) return false;
    const token: RedirToken = { kind: "redir", op, fd };
    this.tokens.push(token);
    this.i = j + op.length;
    if (op === "<<" || op === "<<-") {
      while (s[this.i] === " " || s[this.i] === "\t") this.i++;
      const word = this.readWord();
      this.pendingHeredocs.push({ token, delimiter: word.text, stripTabs: op === "<<-", expanded: !word.quoted });
    }
    return true;
  }

  private readHeredocBodies(): void {
    const s = this.src;
    for (const h of this.pendingHeredocs.splice(0)) {
      const lines: string[] = [];
      let closed = false;
      while (this.i < s.length) {
        const nl = s.indexOf("\n", this.i);
        const end = nl < 0 ? s.length : nl;
        let line = s.slice(this.i, end);
        this.i = nl < 0 ? s.length : nl + 1;
        if (h.stripTabs) line = line.replace(/^\t+/, "");
        if (line === h.delimiter) {
          closed = true;
          break;
        }
        lines.push(line);
      }
      h.token.body = lines.join("\n");
      if (h.expanded) {
        const inner = new Lexer(h.token.body).expansionsOnly();
        h.token.bodySubs = inner.subs;
        this.errors.push(...inner.errors);
      }
      if (!closed) this.errors.push(`here-document ended by end of input instead of "${h.delimiter}"`);
    }
  }

  /** Reads one word starting at `this.i`, pushes it, and returns it. */
  private readWord(): WordToken {
    const s = this.src;
    const w: WordToken = {
      kind: "word",
      text: "",
      quoted: false,
      dynamic: false,
      expands: false,
      assigns: false,
      subs: [],
    };
    this.shape = "";
    while (this.i < s.length) {
      const c = s[this.i];
      if ((c === "<" || c === ">") && s[this.i + 1] === "(") {
        this.readParenSub(this.i + 2, w);
        continue;
      }
      if (META.has(c)) break;
      if (c === "\\") {
        w.quoted = true;
        if (s[this.i + 1] !== "\n") w.text += s[this.i + 1] ?? "";
        this.shape += "q";
        this.i += 2;
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        w.quoted = true;
        if (end < 0) {
          this.errors.push("unclosed single quote");
          w.text += s.slice(this.i + 1);
          this.i = s.length;
        } else {
          w.text += s.slice(this.i + 1, end);
          this.i = end + 1;
        }
        this.shape += "q";
      } else if (c === '"') {
        w.quoted = true;
        this.shape += "q";
        this.i++;
        this.readDoubleQuoted(w);
      } else if (c === "$" || c === "`") this.readDollar(w);
      else {
        w.text += c;
        this.shape += c;
        this.i++;
      }
    }
    // `[` alone (the test command) is no glob; `[abc]` is.
    w.expands = /[*?]|\[[^\]]*\]/.test(this.shape) || /\{[^}]*(,|\.\.)[^}]*\}/.test(this.shape);
    this.tokens.push(w);
    return w;
  }

  private readDoubleQuoted(w: WordToken): void {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === "\\" && '$`"\\\n'.includes(s[this.i + 1] ?? "")) {
        if (s[this.i + 1] !== "\n") w.text += s[this.i + 1];
        this.i += 2;
      } else if (c === "$" || c === "`") this.readDollar(w);
      else {
        w.text += c;
        this.i++;
      }
    }
    this.errors.push("unclosed double quote");
  }

  /** `$name`, `${...}`, `$( )`, `$(( ))`, `$'...'` or a backtick substitution at `this.i`. */
  private readDollar(w: WordToken): void {
    const s = this.src;
    const start = this.i;
    if (s[start] === "`") {
      const end = findQuoteEnd(s, start + 1, "`");
      w.dynamic = true;
      if (end < 0) {
        this.errors.push("unclosed backtick");
        w.subs.push(s.slice(start + 1));
        this.i = s.length;
        return;
      }
      w.subs.push(s.slice(start + 1, end).replace(/\\([`\\$])/g, "$1"));
      w.text += s.slice(start, end + 1);
      this.i = end + 1;
      return;
    }
    const next = s[start + 1];
    if (next === "'") {
      const end = findQuoteEnd(s, start + 2, "'");
      w.quoted = true;
      w.text += decodeAnsiC(s.slice(start + 2, end < 0 ? s.length : end));
      if (end < 0) this.errors.push("unclosed $'...' quote");
      this.i = end < 0 ? s.length : end + 1;
    } else if (next === "(") {
      // `$((` is arithmetic; its text may still hold a `$( )` we must see.
      this.readParenSub(start + 2, w);
    } else if (next === "{") {
      const end = findBraceEnd(s, start + 2);
      const inner = s.slice(start + 2, end < 0 ? s.length : end);
      w.dynamic = true;
      w.text += "${" + inner + "}";
      this.embedded(inner, w);
      if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?:?=/.test(inner)) w.assigns = true;
      if (/[<>]\(/.test(inner)) this.errors.push("process substitution inside ${…}");
      if (end < 0) this.errors.push("unclosed ${");
      this.i = end < 0 ? s.length : end + 1;
    } else if (next !== undefined && /[A-Za-z0-9_@*#?$!-]/.test(next)) {
      let j = start + 1;
      if (/[A-Za-z_]/.test(next)) while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
      else j++;
      w.dynamic = true;
      w.text += s.slice(start, j);
      this.i = j;
    } else {
      w.text += "$";
      this.i++;
    }
  }

  /** A parenthesised substitution whose body starts at `bodyStart` (`$(`, `<(`, `>(`, `$((`). */
  private readParenSub(bodyStart: number, w: WordToken): void {
    const s = this.src;
    const end = findClosingParen(s, bodyStart);
    w.dynamic = true;
    const body = s.slice(bodyStart, end < 0 ? s.length : end);
    if (end < 0) this.errors.push("unclosed substitution");
    // `$((…))` is arithmetic only when the inner `(` closes right before the outer `)`:
    // bash reads `$((ls); rm f)` as a command substitution holding a subshell.
    const arithmetic =
      s[bodyStart - 2] === "$" &&
      s[bodyStart - 1] === "(" &&
      s[bodyStart] === "(" &&
      end > 0 &&
      findClosingParen(s, bodyStart + 1) === end - 1;
    if (arithmetic) {
      // Arithmetic: not a command, but substitutions inside it still run.
      this.embedded(body, w);
      if (/(^|[^=!<>])=(?!=)|<<=|>>=|\+\+|--/.test(body)) w.assigns = true;
    } else w.subs.push(body);
    w.text += s.slice(this.i, end < 0 ? s.length : end + 1);
    this.i = end < 0 ? s.length : end + 1;
  }
}

/** Splits a command line into words, operators and redirections. */
export function tokenize(src: string): LexResult {
  return new Lexer(src).run();
}
