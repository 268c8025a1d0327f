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
