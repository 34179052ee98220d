import { useMemo } from "react";
import type { SandboxInfo } from "@neural-link/shared/app";
import { previewCommand } from "@neural-link/shared/policy";
import { ReasonText } from "@neural-link/ui";

interface Props {
  command: string;
  cwd: string;
  sandbox: SandboxInfo | null;
}

/**
 * Below the command input: what the desktop will do with the command, judged
 * by the hub's own classifier (shared/src/policy) with the desktop's sandbox
 * from `hub.info`. Overrides the desktop set for this phone are not known
 * here; the verdict on the task card is the one that counts.
 */
export function RiskPreview({ command, cwd, sandbox }: Props) {
  const preview = useMemo(() => previewCommand(command, { fromDesktop: false, sandbox, cwd }), [command, cwd, sandbox]);
  if (!preview) return null;
  return (
    <div className={`risk-preview ${preview.outcome}`} role="status" data-testid="risk-preview">
      <span className="risk-preview-verdict">{preview.words}</span>
      <ul className="risk-preview-reasons">
        {preview.reasons.map((r) => (
          <li key={r}>
            <ReasonText reason={r} />
          </li>
        ))}
      </ul>
    </div>
  );
}
