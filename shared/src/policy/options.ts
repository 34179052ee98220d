import { reportOpenTail, type Arg, type Rule, type RuleContext } from "./rule-context";

/**
 * The read-only allow-list's option checker. A program is low only when every option
 * on the line is one the spec lists as read-only; an unknown option (or an unknown
 * abbreviation of a long one: GNU accepts `--out` for `--output`) makes it high.
 */
export interface ReadOnlySpec {
  /** Plain words for the approval card: why the program is read-only ("lists files"). */
  does: string;
  /** Short options without a value known to only read, e.g. "laAh". */
  flags?: string;
  /** Short options taking a value (`-n 20`, `-n20`). */
  valued?: string;
  /**
   * Long options known to only read: "name" takes no value, "name=" takes one (as
   * `--name=V` or `--name V`), "name?" takes one only as `--name=V`.
   */
  long?: readonly string[];
  /**
   * True for the few programs (`ps`, `lscpu`, `uname`...) that have no option at all
   * that writes or runs anything: every option is accepted without a list.
   */
  anyOption?: boolean;
  /** Accepts `-20` (head, tail). */
  numeric?: boolean;
  /** Most operands; more means high (`uniq in out` writes `out`). */
  maxOperands?: number;
  /** What more operands than `maxOperands` do, for the reason (default: "writes to the last one"). */
  extraOperands?: string;
  /**
   * Plain-words reasons for options known to be harmful ("-o": "writes its output to a
   * file"); keys of long options match their abbreviations too. Any other option that is
   * not vetted gets a generic reason.
   */
  harmful?: Readonly<Record<string, string>>;
  /**
   * True when every option the program has, vetted or not, only reads: a word decided at
   * run time cannot smuggle a harmful option in, so it is allowed. Otherwise such a
   * word is high (`X=-delete; find . $X`).
   */
  harmlessOptions?: boolean;
  /** Options stop at the first operand (`echo -n hi -e`: the last word is text). */
  optionsFirst?: boolean;
  /**
   * Further checks on the operands (a jq filter, a sed script); reports its own findings and returns false when not
   * low.
   */
  check?: (operands: readonly Arg[], ctx: RuleContext, options: readonly string[]) => boolean;
}

/** The spec's reason for a harmful option, matching `--out` to `--output` as GNU programs do. */
function harmfulReason(name: string, opt: string, spec: ReadOnlySpec): string | null {
  const key = opt.split("=")[0];
  const hit = Object.entries(spec.harmful ?? {}).find(
    ([k]) => k === key || (key.startsWith("--") && key.length > 3 && k.startsWith(key)),
  );
  return hit ? `\`${name} ${hit[0]}\` ${hit[1]}` : null;
}

type Outcome = { ok: true; operands: Arg[]; options: string[] } | { ok: false };

function longOption(arg: string, next: Arg | undefined, spec: ReadOnlySpec): { ok: boolean; consumed: number } {
  const [key, value] = arg.includes("=")
    ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
    : [arg, undefined];
  const bare = key.slice(2);
  const list = spec.long ?? [];
  if (list.includes(bare)) return { ok: value === undefined, consumed: 0 };
  if (list.includes(bare + "?")) return { ok: true, consumed: 0 };
  if (list.includes(bare + "="))
    return { ok: value !== undefined || next !== undefined, consumed: value === undefined ? 1 : 0 };
  return { ok: false, consumed: 0 };
}

/** Splits and vets the arguments; reports the first problem as high. */
function vetOptions(name: string, args: readonly Arg[], spec: ReadOnlySpec, ctx: RuleContext): Outcome {
  const operands: Arg[] = [];
  const options: string[] = [];
  let done = false;
  const unknown = (opt: string): Outcome => {
    ctx.add(
      "high",
      harmfulReason(name, opt, spec) ?? `\`${name} ${opt}\` is an option the policy has not vetted as read-only`,
    );
    return { ok: false };
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.dynamic && !spec.harmlessOptions && !spec.anyOption && !done) {
      ctx.add(
        "high",
        `\`${name}\` gets the argument ${a.text}, decided at run time, which could become an option that writes or runs programs`,
      );
      return { ok: false };
    }
    if (done || a.dynamic || a.text === "-" || !a.text.startsWith("-")) {
      operands.push(a);
      if (spec.optionsFirst) done = true;
      continue;
    }
    if (a.text === "--") {
      done = true;
      continue;
    }
    options.push(a.text);
    if (spec.anyOption) {
      const key = a.text.startsWith("--") ? a.text : a.text.slice(0, 2);
      if (harmfulReason(name, key, spec)) return unknown(key);
      continue;
    }
    if (a.text.startsWith("--")) {
      const r = longOption(a.text, args[i + 1], spec);
      if (!r.ok) return unknown(a.text);
      i += r.consumed;
      continue;
    }
    if (spec.numeric && /^-\d+$/.test(a.text)) continue;
    for (let j = 1; j < a.text.length; j++) {
      const c = a.text[j];
      if (spec.flags?.includes(c)) continue;
      if (!spec.valued?.includes(c)) return unknown(`-${c}`);
      if (j === a.text.length - 1) i++;
      break;
    }
  }
  return { ok: true, operands, options };
}

/**
 * Judges a program against its read-only spec: low with the spec's reason, or high
 * naming the option or word that is not vetted.
 */
export function vetReadOnly(name: string, args: readonly Arg[], spec: ReadOnlySpec, ctx: RuleContext): boolean {
  const r = vetOptions(name, args, spec, ctx);
  if (!r.ok) return false;
  if (((!spec.harmlessOptions && !spec.anyOption) || spec.maxOperands !== undefined) && reportOpenTail(name, ctx))
    return false;
  if (spec.maxOperands !== undefined) {
    if (r.operands.length > spec.maxOperands) {
      ctx.add(
        "high",
        `\`${name}\` with ${r.operands.length} operand${r.operands.length === 1 ? "" : "s"} ${spec.extraOperands ?? "writes to the last one"}`,
      );
      return false;
    }
    const split = r.operands.find((o) => o.dynamic);
    if (split) {
      ctx.add(
        "high",
        `\`${name}\` gets ${split.text}, decided at run time, which could become several operands (the last one is written)`,
      );
      return false;
    }
  }
  if (spec.check && !spec.check(r.operands, ctx, r.options)) return false;
  ctx.add("low", `\`${name}\` ${spec.does}`);
  return true;
}

/** A rule from a read-only spec. */
export const readOnly =
  (name: string, spec: ReadOnlySpec): Rule =>
  (args, ctx) => {
    vetReadOnly(name, args, spec, ctx);
  };
