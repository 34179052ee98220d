import { useMemo } from "react";
import { previewCommand } from "@neural-link/shared/policy";
import { ReasonsInline } from "@neural-link/ui";

/**
 * Under the task input: what the hub will do with the command being typed,
 * judged by the hub's own classifier (shared/src/policy). The desktop's own
 * low-risk commands run at once with your rights, so the sandbox does not
 * enter into it here.
 */
export function RiskPreview({ command }: { command: string }) {
  const preview = useMemo(() => previewCommand(command, { fromDesktop: true, sandbox: null }), [command]);
  if (!preview) return null;
  return (
    <p className={`risk-preview risk-preview-${preview.outcome}`} data-testid="risk-preview" aria-live="polite">
      <strong>{preview.words}</strong>
      {preview.reasons.length > 0 && (
        <span className="muted">
          {" · "}
          <ReasonsInline reasons={preview.reasons} />
        </span>
      )}
    </p>
  );
}
