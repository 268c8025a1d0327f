import { type ReactNode, useEffect, useId, useRef } from 'react';

interface DialogFrameProps {
  title: string;
  testId: string;
  onClose(): void;
  /** Extra class of the dialog box (`narrow`). */
  className?: string;
  /** The `.body` and `footer` of the dialog. */
  children: ReactNode;
}

/** A modal dialog: a click beside it, Escape or ✕ closes it. */
export function DialogFrame({ title, testId, onClose, className, children }: DialogFrameProps) {
  const titleId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  // Keys must reach the dialog (Escape), not the canvas behind it; a field inside may have taken focus first.
  useEffect(() => {
    const box = boxRef.current;
    if (box && !box.contains(document.activeElement)) box.focus();
  }, []);
  // Should focus leave the dialog (a focused button was disabled or removed), Escape still closes it.
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || boxRef.current?.contains(document.activeElement)) return;
      event.preventDefault();
      closeRef.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click beside the dialog closes it, as Escape and ✕ do.
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        ref={boxRef}
        tabIndex={-1}
        onKeyDown={(event) => event.key === 'Escape' && onClose()}
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
      >
        <header>
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
