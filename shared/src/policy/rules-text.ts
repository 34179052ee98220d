import { judgeWriteTarget } from "./paths";
import { reportOpenTail, type Arg, type Rule, type RuleContext } from "./rule-context";
import { isSafeSedScript } from "./sed-script";

/**
 * sed and awk carry their own little programs. They are low only when the program is
 * given literally and a strict check proves it cannot run commands or write files;
 * otherwise high. `sed -i` edits files in place (its targets are checked for raw
 * disks, which stay forbidden).
 */

function firstDynamic(args: readonly Arg[]): Arg | undefined {
  return args.find((a) => a.dynamic);
}

export const sed: Rule = (args, ctx) => {
  if (reportOpenTail("sed", ctx)) return;
  const dynamic = firstDynamic(args);
  if (dynamic)
    return ctx.add(
      "high",
      `\`sed\` gets ${dynamic.text}, decided at run time, which could become a script or option that writes or runs programs`,
    );
  const scripts: string[] = [];
  const operands: string[] = [];
  let inPlace = false;
  let problem: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i].text;
    if (a === "--expression" || /^-[nErsuz]*e$/.test(a)) scripts.push(args[++i]?.text ?? "");
    else if (a.startsWith("--expression=")) scripts.push(a.slice(13));
    else if (/^-[nErsuz]*e./.test(a)) scripts.push(a.slice(a.indexOf("e") + 1));
    else if (a === "-i" || a.startsWith("--in-place") || /^-[nErsuz]*i/.test(a)) inPlace = true;
    else if (
      /^-[nErsuz]+$/.test(a) ||
      [
        "--quiet",
        "--silent",
        "--regexp-extended",
        "--separate",
        "--unbuffered",
        "--null-data",
        "--posix",
        "--debug",
      ].includes(a)
    )
      continue;
    else if (a.startsWith("-") && a !== "-")
      problem ??= `\`sed ${a}\` is an option the policy has not vetted as read-only`;
    else operands.push(a);
  }
  if (scripts.length === 0 && operands.length > 0) scripts.push(operands.shift() ?? "");
  if (inPlace) {
    for (const t of operands) {
      const f = judgeWriteTarget(t, ctx, "`sed -i` edits");
      if (f?.risk === "forbidden") ctx.add(f.risk, f.reason);
    }
    return ctx.add("high", "`sed -i` edits files in place");
  }
  if (problem) return ctx.add("high", problem);
  if (!scripts.every(isSafeSedScript))
    return ctx.add(
      "high",
      "the `sed` script uses commands that can run programs or read and write files (`e`, `w`, `r`, `s///e`...), or that the policy cannot follow",
    );
  ctx.add("low", "`sed` transforms text with a script that only prints");
};

/** Words in an awk program that run commands, write or read other files, or load extensions. */
const AWK_UNSAFE = /system|getline|close|[|>@]/;

export const awk =
  (name: string): Rule =>
  (args, ctx: RuleContext) => {
    if (reportOpenTail(name, ctx)) return;
    const dynamic = firstDynamic(args);
    if (dynamic)
      return ctx.add(
        "high",
        `\`${name}\` gets ${dynamic.text}, decided at run time, which could become a program or option`,
      );
    let i = 0;
    for (; i < args.length && args[i].text.startsWith("-") && args[i].text !== "-"; i++) {
      const a = args[i].text;
      if (a === "--") {
        i++;
        break;
      }
      if (a === "-F" || a === "-v") i++;
      else if (!/^-[Fv]./.test(a))
        return ctx.add(
          "high",
          `\`${name} ${a}\` is an option the policy has not vetted (awk can load program files and extensions)`,
        );
    }
    const program = args[i]?.text;
    if (program === undefined) return ctx.add("high", `\`${name}\` without a program`);
    if (AWK_UNSAFE.test(program))
      return ctx.add(
        "high",
        `the \`${name}\` program can run commands or write files (\`system\`, \`getline\`, \`|\`, \`>\`)`,
      );
    ctx.add("low", `\`${name}\` transforms text with a program that only prints`);
  };
