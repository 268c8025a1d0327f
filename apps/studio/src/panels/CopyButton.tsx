import { useState } from 'react';
import { copyText } from '../import-export/export-sequence';

/** Copies text (or what a function returns, made when clicked); says so for a moment. */
export function CopyButton({
  text,
  label = 'Copy',
  testId,
}: {
  text: string | (() => string);
  label?: string;
  testId?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="button small"
      data-testid={testId}
      onClick={() =>
        copyText(typeof text === 'function' ? text() : text).then(
          () => {
            setState('copied');
            setTimeout(() => setState('idle'), 1500);
          },
          () => setState('failed'),
        )
      }
    >
      {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
