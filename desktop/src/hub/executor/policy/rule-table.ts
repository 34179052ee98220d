import type { Rule } from "./rule-context";
import { fileRuleFor } from "./rules-files";
import { LOW_PROGRAMS, SYSTEM_RULES } from "./rules-system";
import { TOOL_RULES } from "./rules-tools";
import { WRAPPER_RULES } from "./rules-wrappers";

/** The built-in table: a rule for every program the policy knows, by program name. */

export type Lookup = { kind: "rule"; rule: Rule } | { kind: "low"; reason: string } | { kind: "unknown" };

function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function lookupProgram(program: string): Lookup {
  const rule = fileRuleFor(program) ?? own(WRAPPER_RULES, program) ?? own(TOOL_RULES, program) ?? own(SYSTEM_RULES, program);
  if (rule) return { kind: "rule", rule };
  const low = own(LOW_PROGRAMS, program);
  if (low) return { kind: "low", reason: low };
  return { kind: "unknown" };
}

/** Every program name the table knows, for documentation and tests. */
export function knownPrograms(): string[] {
  return [...new Set([...Object.keys(WRAPPER_RULES), ...Object.keys(TOOL_RULES), ...Object.keys(SYSTEM_RULES), ...Object.keys(LOW_PROGRAMS)])].sort();
}
