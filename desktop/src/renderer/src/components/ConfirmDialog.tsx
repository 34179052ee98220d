import { Dialog } from "./Dialog";

interface ConfirmProps {
  title: string;
  text: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A yes/no question whose safe answer (Cancel) has the focus first. */
export function ConfirmDialog({ title, text, confirmLabel, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog title={title} onCancel={onCancel} initialFocus="confirm-cancel" role="alertdialog">
      <p>{text}</p>
      <div className="actions">
        <button id="confirm-cancel" type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
