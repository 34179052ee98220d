import { useEffect, useRef, type ReactNode } from "react";

interface DialogProps {
  /** Accessible name of the dialog, shown as its heading. */
  title: string;
  /** Called on Esc; omit to make Esc do nothing (a decision must be made). */
  onCancel?: () => void;
  children: ReactNode;
  /** Element id inside the dialog to focus first; defaults to the first focusable one. */
  initialFocus?: string;
  role?: "dialog" | "alertdialog";
}

/**
 * A modal built on <dialog>.showModal(): the browser makes the rest of the
 * page inert and keeps Tab inside. Focus moves in on open and returns to
 * whatever had it on close.
 */
export function Dialog({ title, onCancel, children, initialFocus, role = "dialog" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = `dlg-${title.replace(/\W+/g, "-").toLowerCase()}`;
  useEffect(() => {
    const dlg = ref.current;
    if (!dlg) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dlg.open) dlg.showModal();
    const first = initialFocus
      ? dlg.querySelector<HTMLElement>(`#${initialFocus}`)
      : dlg.querySelector<HTMLElement>("button, input, select, textarea");
    first?.focus();
    return () => {
      if (dlg.open) dlg.close();
      before?.focus();
    };
  }, [initialFocus]);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={headingId}
      className="dialog"
      onCancel={(e) => {
        e.preventDefault();
        onCancel?.();
      }}
    >
      <h2 id={headingId}>{title}</h2>
      {children}
    </dialog>
  );
}
