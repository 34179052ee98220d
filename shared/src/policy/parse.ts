import { tokenize, type OpToken, type RedirToken, type Token, type WordToken } from "./tokenize";

/**
 * Turns tokens into the little tree the classifier walks: lists of pipelines of
 * commands. Control-flow keywords (`if`, `while`, `do`...) are stepped over, so the
 * commands inside them are judged like any other; `case` is not analysed and is
 * reported as an error (the classifier then asks for approval).
 */

export interface Redirect {
  op: RedirToken["op"];
  fd: number | null;
  target: WordToken | null;
  body?: string;
  /** Substitutions the shell runs while expanding an unquoted here-document. */
  bodySubs?: string[];
}

export interface SimpleCommand {
  type: "simple";
  assigns: WordToken[];
  words: WordToken[];
  redirs: Redirect[];
}
export interface GroupCommand {
  type: "group";
  /** True for `( )`, which runs in a subshell (a `cd` inside does not leak out). */
  subshell: boolean;
  body: Script;
  redirs: Redirect[];
}
export interface FunctionDef {
  type: "function";
  name: string;
  body: Command;
}
/** Words that are not a command but may hold substitutions, such as a `for` header. */
export interface WordsOnly {
  type: "words";
  words: WordToken[];
}
export type Command = SimpleCommand | GroupCommand | FunctionDef | WordsOnly;

export interface Pipeline {
  cmds: Command[];
  background: boolean;
}
export type Script = Pipeline[];

export interface ParseResult {
  script: Script;
  errors: string[];
}

const SKIP_KEYWORDS = new Set(["if", "then", "elif", "else", "while", "until", "do", "!", "time"]);
const END_KEYWORDS = new Set(["fi", "done", "esac"]);
const SEPARATORS = new Set<OpToken>([";", "&", "&&", "||", "\n", ";;"]);

function isKeyword(t: Token | undefined, word: string): boolean {
  return t?.kind === "word" && !t.quoted && t.text === word;
}

/** Deepest nesting of `( )`, `{ }` and function bodies analysed; deeper input is an error (so high). */
export const MAX_NESTING = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    readonly errors: string[],
  ) {}

  parseAll(): Script {
    const script = this.parseList(null);
    while (this.i < this.tokens.length) {
      // A stray ")" or "}" stopped the list: note it, step over it, and keep going.
      this.errors.push("unbalanced parentheses or braces");
      this.i++;
      script.push(...this.parseList(null));
    }
    return script;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(op: OpToken): boolean {
    const t = this.peek();
    return t?.kind === "op" && t.op === op;
  }

  /** Pipelines up to `stop` (")" for a subshell, "}" for a brace group, null for the end). */
  private parseList(stop: ")" | "}" | null): Script {
    const out: Script = [];
    while (this.i < this.tokens.length) {
      const t = this.peek();
      if (t?.kind === "op" && SEPARATORS.has(t.op)) {
        if (t.op === "&" && out.length > 0) out[out.length - 1].background = true;
        this.i++;
        continue;
      }
      if (stop === ")" && this.isOp(")")) return out;
      if (stop === "}" && isKeyword(t, "}")) return out;
      if (stop === null && (this.isOp(")") || isKeyword(t, "}"))) return out;
      const before = this.i;
      const pipeline = this.parsePipeline();
      if (pipeline.cmds.length > 0) out.push(pipeline);
      if (this.i === before) {
        this.errors.push("unexpected token");
        this.i++;
      }
    }
    if (stop) this.errors.push(`missing "${stop}"`);
    return out;
  }

  private parsePipeline(): Pipeline {
    const cmds: Command[] = [];
    const first = this.parseCommand();
    if (first) cmds.push(first);
    while (this.isOp("|") || this.isOp("|&")) {
      this.i++;
      while (this.isOp("\n")) this.i++;
      const next = this.parseCommand();
      if (next) cmds.push(next);
    }
    return { cmds, background: false };
  }

  private parseCommand(): Command | null {
    if (this.depth >= MAX_NESTING) {
      this.errors.push("nested too deeply to analyse");
      this.i = this.tokens.length;
      return null;
    }
    this.depth++;
    try {
      return this.parseCommandAt();
    } finally {
      this.depth--;
    }
  }

  private parseCommandAt(): Command | null {
    const t = this.peek();
    if (t === undefined) return null;
    if (t.kind === "op" && t.op === "(") {
      this.i++;
      const body = this.parseList(")");
      if (this.isOp(")")) this.i++;
      return { type: "group", subshell: true, body, redirs: this.parseRedirs() };
    }
    if (t.kind !== "word" || t.quoted) return this.parseSimple();
    if (t.text === "{") {
      this.i++;
      const body = this.parseList("}");
      if (isKeyword(this.peek(), "}")) this.i++;
      return { type: "group", subshell: false, body, redirs: this.parseRedirs() };
    }
    if (SKIP_KEYWORDS.has(t.text)) {
      this.i++;
      // `time -p cmd`: the option belongs to the keyword.
      if (t.text === "time" && isKeyword(this.peek(), "-p")) this.i++;
      return this.parseCommand();
    }
    if (END_KEYWORDS.has(t.text)) {
      this.i++;
      const redirs = this.parseRedirs();
      return redirs.length > 0 ? { type: "simple", assigns: [], words: [], redirs } : null;
    }
    if (t.text === "for" || t.text === "select") return this.parseLoopHeader();
    if (t.text === "case") {
      this.errors.push("case statements are not analysed");
      return this.parseLoopHeader();
    }
    if (t.text === "function") {
      this.i++;
      const name = this.peek();
      if (name?.kind !== "word") return null;
      this.i++;
      if (this.isOp("(") && this.tokens[this.i + 1]?.kind === "op") this.i += 2;
      return this.parseFunctionBody(name.text);
    }
    const a = this.tokens[this.i + 1];
    const b = this.tokens[this.i + 2];
    if (a?.kind === "op" && a.op === "(" && b?.kind === "op" && b.op === ")") {
      this.i += 3;
      return this.parseFunctionBody(t.text);
    }
    return this.parseSimple();
  }

  private parseFunctionBody(name: string): Command {
    while (this.isOp("\n")) this.i++;
    const body = this.parseCommand() ?? { type: "words", words: [] };
    return { type: "function", name, body };
  }

  /** `for NAME in WORDS` up to the separator or `do`: the words are expanded, not run. */
  private parseLoopHeader(): WordsOnly {
    const words: WordToken[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i];
      if (t.kind === "op" && (t.op === ";" || t.op === "\n")) break;
      // `for NAME do …; done` (no `in`, no separator): the body starts at `do`.
      if (words.length >= 2 && isKeyword(t, "do")) break;
      if (t.kind === "word") words.push(t);
      this.i++;
    }
    return { type: "words", words };
  }

  private parseRedirs(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek()?.kind === "redir") out.push(this.parseRedir());
    return out;
  }

  private parseRedir(): Redirect {
    const r = this.tokens[this.i++] as RedirToken;
    const target = this.peek();
    if (target?.kind === "word") {
      this.i++;
      return { op: r.op, fd: r.fd, target, body: r.body, bodySubs: r.bodySubs };
    }
    this.errors.push(`redirection "${r.op}" without a target`);
    return { op: r.op, fd: r.fd, target: null, body: r.body, bodySubs: r.bodySubs };
  }

  private parseSimple(): SimpleCommand {
    const cmd: SimpleCommand = { type: "simple", assigns: [], words: [], redirs: [] };
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i];
      if (t.kind === "op") break;
      if (t.kind === "redir") {
        cmd.redirs.push(this.parseRedir());
        continue;
      }
      this.i++;
      if (cmd.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(t.text)) cmd.assigns.push(t);
      else cmd.words.push(t);
    }
    return cmd;
  }
}

/** Parses a command line into pipelines; never throws. */
export function parseCommandLine(src: string): ParseResult {
  const lexed = tokenize(src);
  const errors = [...lexed.errors];
  const script = new Parser(lexed.tokens, errors).parseAll();
  return { script, errors };
}
