import type { Risk, Task } from "../../../hub/api";
import { sandboxBadge } from "../task-words";

const RISK_TEXT: Record<Risk, string> = { low: "low risk", high: "high risk", forbidden: "forbidden" };

export function RiskBadge({ risk }: { risk: Risk }) {
  return <span className={`pill pill-risk-${risk}`}>{RISK_TEXT[risk]}</span>;
}

/** "sandboxed, read-only", "sandboxed, workspace" or "full access"; nothing before the task ran. */
export function SandboxBadge({ task }: { task: Task }) {
  const badge = sandboxBadge(task);
  if (!badge) return null;
  return <span className={`pill pill-${badge.kind}`}>{badge.text}</span>;
}
