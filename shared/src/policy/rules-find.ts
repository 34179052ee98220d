import { criticalTarget, judgeWriteTarget } from "./paths";
import { reportOpenTail, type Arg, type Rule, type RuleContext } from "./rule-context";

/**
 * `find`: low only when its expression is made of vetted tests and printing actions.
 * `-exec`/`-execdir`/`-ok`/`-okdir` run another program (judged too, so a forbidden one
 * stays forbidden), `-delete` deletes, `-fprint*`/`-fls` write files; anything not on
 * the list is high. Every word after the first is literal or the line is high: a word
 * decided at run time (`X=-delete; find . $X`, or an unquoted `*` matching a file
 * named `-delete`) could become an action.
 */

/** Tests and options that take one value. */
const VALUED = new Set([
  "-name",
  "-iname",
  "-path",
  "-ipath",
  "-wholename",
  "-iwholename",
  "-regex",
  "-iregex",
  "-regextype",
  "-type",
  "-xtype",
  "-size",
  "-mtime",
  "-mmin",
  "-atime",
  "-amin",
  "-ctime",
  "-cmin",
  "-newer",
  "-anewer",
  "-cnewer",
  "-user",
  "-group",
  "-uid",
  "-gid",
  "-perm",
  "-links",
  "-inum",
  "-samefile",
  "-maxdepth",
  "-mindepth",
  "-used",
  "-lname",
  "-ilname",
  "-fstype",
  "-context",
  "-printf",
]);
/** Tests, operators and printing actions without a value. */
const PLAIN = new Set([
  "-empty",
  "-executable",
  "-readable",
  "-writable",
  "-nouser",
  "-nogroup",
  "-true",
  "-false",
  "-depth",
  "-xdev",
  "-mount",
  "-follow",
  "-noleaf",
  "-ignore_readdir_race",
  "-noignore_readdir_race",
  "-daystart",
  "-prune",
  "-quit",
  "-print",
  "-print0",
  "-ls",
  "!",
  "-not",
  "(",
  ")",
  "-a",
  "-and",
  "-o",
  "-or",
  ",",
]);
/** Leading options before the starting points. */
const LEADING = new Set(["-H", "-L", "-P"]);
/** Options and actions that do not narrow which files match (the value of -type etc. follows them). */
const NON_FILTERS = new Set([
  "-delete",
  "-depth",
  "-xdev",
  "-mount",
  "-mindepth",
  "-maxdepth",
  "-type",
  "-print",
  "-print0",
  "-ignore_readdir_race",
  "-noleaf",
]);

function onDelete(words: string[], roots: string[], ctx: RuleContext): void {
  const critical = roots.map((r) => criticalTarget(r, ctx)).find((d) => d !== null);
  // Without a filtering test, find -delete removes everything below its roots.
  const filtered = words.some(
    (x, j, all) => x.startsWith("-") && !NON_FILTERS.has(x) && !NON_FILTERS.has(all[j - 1] ?? ""),
  );
  if (critical && !filtered) ctx.add("forbidden", `\`find -delete\` under ${critical} wipes it`);
  ctx.add("high", "`find -delete` deletes every file it matches");
}

export const find: Rule = (args, ctx) => {
  let i = 0;
  while (i < args.length && LEADING.has(args[i].text)) i++;
  const firstExpr = args.findIndex((a, j) => j >= i && (a.text.startsWith("-") || a.text === "(" || a.text === "!"));
  const roots = args.slice(i, firstExpr < 0 ? args.length : firstExpr).map((a) => a.text);
  const expr: Arg[] = firstExpr < 0 ? [] : args.slice(firstExpr);
  let low = true;
  const dynamic = args.find((a) => a.dynamic);
  if (dynamic) {
    ctx.add(
      "high",
      `\`find\` gets ${dynamic.text}, decided at run time, which could become an action such as -delete or -exec`,
    );
    low = false;
  }
  if (reportOpenTail("find", ctx)) low = false;
  const words = expr.map((a) => a.text);
  for (let j = 0; j < words.length; j++) {
    const w = words[j];
    if (VALUED.has(w) || /^-newer[aBcmt][aBcmt]$/.test(w)) j++;
    else if (PLAIN.has(w)) continue;
    else if (w === "-delete") {
      onDelete(words, roots.length > 0 ? roots : ["."], ctx);
      low = false;
    } else if (["-exec", "-execdir", "-ok", "-okdir"].includes(w)) {
      const end = words.findIndex((x, k) => k > j && (x === ";" || x === "+"));
      const inner = expr.slice(j + 1, end < 0 ? expr.length : end);
      ctx.add("high", `\`find ${w}\` runs another program on every file it matches`);
      if (inner.length > 0) ctx.judgeArgv(inner);
      j = end < 0 ? words.length : end;
      low = false;
    } else if (["-fprint", "-fprint0", "-fprintf", "-fls"].includes(w)) {
      const f = judgeWriteTarget(words[j + 1] ?? "", ctx, `\`find ${w}\` writes to`);
      ctx.add(
        f?.risk === "forbidden" ? "forbidden" : "high",
        f?.reason ?? `\`find ${w}\` writes its results to a file`,
      );
      j += w === "-fprintf" ? 2 : 1;
      low = false;
    } else {
      ctx.add("high", `\`find ${w}\` is not an expression the policy has vetted as read-only`);
      low = false;
    }
  }
  if (low) ctx.add("low", "`find` only lists files");
};
