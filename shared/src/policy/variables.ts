import type { Finding } from "./types";

/**
 * Variable assignments (`NAME=value cmd`, `NAME=value` alone, `export NAME=value`,
 * `env NAME=value cmd`). A variable can choose the pager, editor, loader, shell start-up
 * file, search path or git program a later command uses, and the list of such variables
 * is open-ended; so every assignment is high except the few below, which only pick a
 * language, time zone or output width.
 */

const VETTED = /^(LANG|LANGUAGE|LC_[A-Z]+|TZ|NO_COLOR|COLUMNS|LINES)$/;

/** Variables that make a later program load or run something else, named in the reason. */
const LOADERS =
  /^(PATH|LD_[A-Z_]+|DYLD_[A-Z_]+|BASH_ENV|ENV|PROMPT_COMMAND|IFS|SHELLOPTS|BASHOPTS|PS4|CDPATH|GLOBIGNORE|PAGER|MANPAGER|GIT_[A-Z_]+|EDITOR|VISUAL|LESSOPEN|LESSCLOSE|NODE_OPTIONS|PYTHONSTARTUP|PYTHONPATH|PERL5OPT|PERL5LIB|RUBYOPT|HOME|SHELL|TMPDIR|XDG_CONFIG_HOME)$/;

/**
 * The finding for one assignment word.
 * @example assignmentFinding("LC_ALL=C") // low
 * @example assignmentFinding("GIT_PAGER=sh") // high, names GIT_PAGER
 */
export function assignmentFinding(text: string): Finding {
  const name = text.split(/\+?=/)[0].replace(/\[.*$/, "");
  if (VETTED.test(name))
    return { risk: "low", reason: `sets \`${name}\`, which only picks a language, time zone or width` };
  if (LOADERS.test(name))
    return {
      risk: "high",
      reason: `sets \`${name}\`, which changes which programs, pagers, editors or libraries later commands run`,
    };
  return { risk: "high", reason: `sets the variable \`${name}\`, which can change what later commands do` };
}
