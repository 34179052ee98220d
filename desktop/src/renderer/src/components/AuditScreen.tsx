import { useEffect } from "react";
import { useAudit } from "../stores/audit-store";

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
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.ts).toLocaleString()}</td>
              <td>{e.actorName}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.detail}</td>
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
