import { useEffect } from 'react';
import { selectNotice, uiStore, useUiStore } from '../stores/ui-store';

/** The message of the last action (a refused connection, a finished run, a failed import). */
export function Notice() {
  const notice = useUiStore(selectNotice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(
      () => uiStore.getState().dismissNotice(notice.id),
      notice.kind === 'error' ? 10_000 : 4_000,
    );
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div
      className={`notice ${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
      data-kind={notice.kind}
    >
      <span>{notice.text}</span>
      <button
        type="button"
        className="close"
        aria-label="Dismiss"
        onClick={() => uiStore.getState().dismissNotice(notice.id)}
      >
        ×
      </button>
    </div>
  );
}
