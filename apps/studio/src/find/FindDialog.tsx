import './find.css';
import { useReactFlow } from '@xyflow/react';
import { useId, useMemo, useState } from 'react';
import { addOperationInFreeSpace } from '../canvas/add-operation';
import { DialogFrame } from '../components/DialogFrame';
import type { DependencyEdge, LayerNode } from '../lib/sequence-document';
import { browserCatalog } from '../operations';
import { dialogsStore, selectOpenDialog, useDialogsStore } from '../stores/dialogs-store';
import { graphStore, selectNodes, useGraphStore } from '../stores/graph-store';
import { selectServerOperations, useUiStore } from '../stores/ui-store';
import { type FindMatch, findMatches } from './find-matches';

const close = () => dialogsStore.getState().show(undefined);

function FindPanel() {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const nodes = useGraphStore(selectNodes);
  const serverOperations = useUiStore(selectServerOperations);
  const flow = useReactFlow<LayerNode, DependencyEdge>();
  const listId = useId();
  const { matches, total } = useMemo(
    () => findMatches(query, nodes, [...browserCatalog, ...serverOperations]),
    [query, nodes, serverOperations],
  );

  const choose = (match: FindMatch | undefined) => {
    if (!match) return;
    close();
    if (match.kind === 'layer') {
      graphStore.getState().selectLayers([match.name]);
      void flow.fitView({ nodes: [{ id: match.name }], maxZoom: 1.2, duration: 250 });
    } else {
      addOperationInFreeSpace(match.operation, flow);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((at) => (matches.length === 0 ? 0 : (at + step + matches.length) % matches.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(matches[active]);
    }
  };

  const optionId = (index: number) => `${listId}-${index}`;
  return (
    <DialogFrame title="Find" testId="find-dialog" onClose={close} className="narrow find-dialog">
      <div className="body single">
        <input
          // biome-ignore lint/a11y/noAutofocus: the dialog opens to be typed into.
          autoFocus
          className="input"
          role="combobox"
          aria-expanded={matches.length > 0}
          aria-controls={listId}
          aria-activedescendant={matches.length > 0 ? optionId(active) : undefined}
          aria-label="Find a layer or an operation"
          placeholder="A layer or an operation, by name"
          value={query}
          data-testid="find-input"
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <div className="find-results" id={listId} role="listbox" aria-label="Matches">
          {matches.map((match, index) => (
            <div
              tabIndex={-1}
              key={
                match.kind === 'layer'
                  ? `layer:${match.name}`
                  : `op:${match.operation.source}:${match.operation.name}`
              }
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className="find-result"
              data-testid="find-result"
              data-kind={match.kind}
              data-name={match.kind === 'layer' ? match.name : match.operation.name}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(match)}
              onKeyDown={(event) => event.key === 'Enter' && choose(match)}
              onMouseMove={() => setActive(index)}
            >
              {match.kind === 'layer' ? (
                <>
                  <span className="find-kind">layer</span>
                  <b>{match.name}</b>
                  <span className="muted">{match.operation}</span>
                </>
              ) : (
                <>
                  <span className="find-kind">add</span>
                  <b>{match.operation.name}</b>
                  <span className="muted">{match.operation.source} operation</span>
                </>
              )}
            </div>
          ))}
        </div>
        <p className="find-footer muted" data-testid="find-summary">
          {query.trim() === ''
            ? 'Enter selects the layer and zooms to it, or adds the operation in free space.'
            : total === 0
              ? `Nothing is named like “${query.trim()}”.`
              : total > matches.length
                ? `${matches.length} of ${total} matches shown: type more to narrow them.`
                : `${total} match${total === 1 ? '' : 'es'} · ↑↓ to move, Enter to go.`}
        </p>
      </div>
    </DialogFrame>
  );
}

/** Find (Ctrl+K, or Ctrl+F on the canvas): layers and operations by name. */
export function FindDialog() {
  const open = useDialogsStore(selectOpenDialog);
  return open === 'find' ? <FindPanel /> : null;
}
