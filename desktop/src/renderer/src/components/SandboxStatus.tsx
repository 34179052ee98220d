import { useStatus } from "../stores/status-store";

/**
 * The OS sandbox in force on the hub, where the person judges risk (Tasks
 * and Settings). Without one nothing runs unasked, and the line says so in
 * a warning banner rather than a footnote.
 */
export function SandboxStatus() {
  const sandbox = useStatus((s) => s.status?.sandbox);
  if (!sandbox) return null;
  if (!sandbox.available) {
    return (
      <div role="alert" className="sandbox-warning" data-testid="sandbox-status">
        <strong>No sandbox: every command asks for approval.</strong> {sandbox.reason}
      </div>
    );
  }
  return (
    <p className="sandbox-line" data-testid="sandbox-status">
      <span className="pill pill-sandboxed">sandbox: {sandbox.kind}</span> {sandbox.reason}
    </p>
  );
}
