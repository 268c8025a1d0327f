import './notice.css';
import { selectNotice, uiStore, useUiStore } from '../stores/ui-store';

/**
 * The message of the last action (a refused connection, a finished run, a
 * failed import): a strip above the canvas that takes its own room, so it
 * never covers a node. Information leaves by itself (`NOTICE_MS`); an error
 * stays until dismissed or replaced.
 */
export function Notice() {
  const notice = useUiStore(selectNotice);
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
        aria-label="Dismiss notice"
        title="Dismiss notice"
        onClick={() => uiStore.getState().dismissNotice(notice.id)}
      >
        ×
      </button>
    </div>
  );
}
