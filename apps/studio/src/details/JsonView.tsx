import { type ReactNode, useMemo, useState } from 'react';
import { CopyButton } from '../panels/CopyButton';
import { jsonText, viewOf } from './json-value';

/** Entries of a container shown before a "show more" button. */
const ENTRIES_PAGE = 50;
/** Characters of a string shown before a "show all" button. */
const STRING_PREVIEW = 240;

function StringValue({ text }: { text: string }) {
  const [whole, setWhole] = useState(false);
  if (whole || text.length <= STRING_PREVIEW)
    return <span className="json-string">{JSON.stringify(text)}</span>;
  return (
    <>
      <span className="json-string">{JSON.stringify(text.slice(0, STRING_PREVIEW))}…</span>{' '}
      <button type="button" className="json-more" onClick={() => setWhole(true)}>
        show all {text.length.toLocaleString('en')} characters
      </button>
    </>
  );
}

interface NodeProps {
  label: ReactNode;
  value: unknown;
  depth: number;
  ancestors: readonly unknown[];
  /** Containers up to this depth start open (when small). */
  openDepth: number;
}

function JsonNode({ label, value, depth, ancestors, openDepth }: NodeProps) {
  const view = viewOf(value, ancestors);
  const [limit, setLimit] = useState(ENTRIES_PAGE);
  const key = label === undefined ? null : <span className="json-key">{label}: </span>;
  if (view.kind === 'array' || view.kind === 'object') {
    const [open, close] = view.kind === 'array' ? ['[', ']'] : ['{', '}'];
    if (view.entries.length === 0) {
      return (
        <div className="json-line">
          {key}
          <span className="json-punct">
            {open}
            {close}
          </span>
        </div>
      );
    }
    const inner = [...ancestors, value];
    return (
      <details className="json-node" open={depth < openDepth && view.entries.length <= 20}>
        <summary>
          {key}
          <span className="json-punct">{open}</span>
          <span className="json-summary">{view.summary}</span>
          <span className="json-punct">{close}</span>
        </summary>
        <div className="json-children">
          {view.entries.slice(0, limit).map(([entryKey, entryValue]) => (
            <JsonNode
              key={entryKey}
              label={entryKey}
              value={entryValue}
              depth={depth + 1}
              ancestors={inner}
              openDepth={openDepth}
            />
          ))}
          {view.entries.length > limit && (
            <button
              type="button"
              className="json-more"
              onClick={() => setLimit((current) => current + ENTRIES_PAGE * 4)}
            >
              show {Math.min(view.entries.length - limit, ENTRIES_PAGE * 4)} more of{' '}
              {view.entries.length - limit}
            </button>
          )}
        </div>
      </details>
    );
  }
  return (
    <div className="json-line">
      {key}
      {view.kind === 'badge' ? (
        <span className="json-badge" title={view.title} data-testid="omitted-value">
          {view.text}
        </span>
      ) : view.kind === 'string' ? (
        <StringValue text={view.text} />
      ) : (
        <span className={`json-${view.kind}`}>{view.text}</span>
      )}
    </div>
  );
}

interface JsonViewProps {
  title: ReactNode;
  value: unknown;
  testId?: string;
  /** Labels of an array's items (`[0]` by default). */
  itemLabels?: (index: number) => string;
  /** Containers nested deeper than this start collapsed. Default 2. */
  openDepth?: number;
}

/**
 * A run value as a collapsible tree, with a button that copies it as JSON.
 * Long strings and containers are cut, with a button to show the rest; the
 * tree scrolls inside its box, so nothing widens the panel.
 */
export function JsonView({ title, value, testId, itemLabels, openDepth = 2 }: JsonViewProps) {
  const text = useMemo(() => jsonText(value), [value]);
  const top = viewOf(value);
  return (
    <section className="json-view" data-testid={testId}>
      <header>
        <span className="json-title">{title}</span>
        <CopyButton
          text={text}
          label="Copy JSON"
          {...(testId ? { testId: `${testId}-copy` } : {})}
        />
      </header>
      <div className="json-tree" data-testid={testId ? `${testId}-tree` : undefined}>
        {itemLabels && top.kind === 'array' ? (
          top.entries.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            top.entries.map(([index, item]) => (
              <JsonNode
                key={index}
                label={itemLabels(Number(index))}
                value={item}
                depth={1}
                ancestors={[value]}
                openDepth={openDepth}
              />
            ))
          )
        ) : (
          <JsonNode
            label={undefined}
            value={value}
            depth={0}
            ancestors={[]}
            openDepth={openDepth}
          />
        )}
      </div>
    </section>
  );
}
