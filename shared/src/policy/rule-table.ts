import { readOnly } from "./options";
import { READ_ONLY_FILES } from "./readonly-files";
import { READ_ONLY_SYSTEM } from "./readonly-system";
import type { Rule } from "./rule-context";
import { BUILTIN_RULES } from "./rules-builtins";
import { fileRuleFor, FILE_RULES } from "./rules-files";
import { find } from "./rules-find";
import { git } from "./rules-git";
import { PACKAGE_RULES } from "./rules-packages";
import { SHELL_RULES } from "./rules-shells";
import { SYSTEM_RULES } from "./rules-system";
import { tar } from "./rules-tar";
import { awk, sed } from "./rules-text";
import { WRAPPER_RULES } from "./rules-wrappers";

/**
 * The built-in table: a rule for every program the policy knows, by program name.
 * Programs not in it are high ("unknown commands need approval"): the table is an
 * allow-list for `low`, and every rule that is not a read-only spec reports high (or
 * forbidden) for the forms it does not vet.
 */

const READ_ONLY_RULES: Record<string, Rule> = Object.fromEntries(
  Object.entries({ ...READ_ONLY_FILES, ...READ_ONLY_SYSTEM }).map(([name, spec]) => [name, readOnly(name, spec)]),
);

const TABLE: Record<string, Rule> = {
  ...READ_ONLY_RULES,
  ...FILE_RULES,
  ...SYSTEM_RULES,
  ...PACKAGE_RULES,
  ...SHELL_RULES,
  ...BUILTIN_RULES,
  ...WRAPPER_RULES,
  find,
  git,
  tar,
  sed,
  awk: awk("awk"),
  gawk: awk("gawk"),
  mawk: awk("mawk"),
  nawk: awk("nawk"),
};

export function lookupProgram(program: string): Rule | undefined {
  return fileRuleFor(program) ?? (Object.hasOwn(TABLE, program) ? TABLE[program] : undefined);
}

/** Every program name the table knows (read-only or not), for documentation and tests. */
export function knownPrograms(): string[] {
  return Object.keys(TABLE).sort();
}
