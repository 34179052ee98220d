import { useEffect } from "react";
import { useAudit } from "../stores/audit-store";

/** The audit log in words: who, what they decided, and on which command; the raw detail stays one hover away. */
export function AuditScreen() {
  const { entries, more } = useAudit();
  useEffect(() => {
    void useAudit.getState().load();
  }, []);
  return (
    <section aria-labelledby="audit-h">
      <h1 id="audit-h">Audit log</h1>
      <table className="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Command</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} title={`${e.action}${e.detail ? `: ${e.detail}` : ""}`}>
              <td>{new Date(e.ts).toLocaleString()}</td>
              <td>{e.actorName}</td>
              <td>{e.text ?? e.action}</td>
              <td>{e.command !== undefined ? <code>{e.command}</code> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length > 0 && (
        <button type="button" onClick={() => void more()}>
          Older entries
        </button>
      )}
    </section>
  );
}
