import { SHORTCUT_HELP } from "../shortcuts";
import { useUi } from "../stores/ui-store";
import { Dialog } from "./Dialog";

export function HelpOverlay() {
  const { helpOpen, toggleHelp } = useUi();
  if (!helpOpen) return null;
  const mod = navigator.userAgent.includes("Mac") ? "Cmd" : "Ctrl";
  return (
    <Dialog title="Keyboard shortcuts" onCancel={() => toggleHelp(false)}>
      <table>
        <tbody>
          {SHORTCUT_HELP.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys.replaceAll("mod", mod)}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={() => toggleHelp(false)}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
