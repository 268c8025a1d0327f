import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { addOperationInFreeSpace } from '../canvas/add-operation';
import { OPERATION_MIME } from '../canvas/Canvas';
import { matchesOperation } from '../find/find-matches';
import type { DependencyEdge, LayerNode } from '../lib/sequence-document';
import { browserCatalog, type OperationInfo } from '../operations';
import { dialogsStore } from '../stores/dialogs-store';
import { selectServerOperations, selectServerState, useUiStore } from '../stores/ui-store';

function PaletteItem({
  operation,
  onAdd,
}: {
  operation: OperationInfo;
  onAdd: (operation: OperationInfo) => void;
}) {
  return (
    <button
      type="button"
      className="palette-item"
      draggable
      data-testid="palette-item"
      data-operation={operation.name}
      data-source={operation.source}
      onDragStart={(event) => {
        event.dataTransfer.setData(OPERATION_MIME, JSON.stringify(operation));
        event.dataTransfer.effectAllowed = 'copy';
      }}
      onClick={() => onAdd(operation)}
      title="Drag onto the canvas, or click to add it in free space"
    >
      <b>
        <span className="palette-name" title={operation.name}>
          {operation.name}
        </span>
        <span className={`source-tag ${operation.source}`}>{operation.source}</span>
      </b>
      <span className="palette-description">
        {operation.description ||
          (operation.args.length > 0 ? `args: ${operation.args.join(', ')}` : 'no arguments')}
      </span>
    </button>
  );
}

/** Operations to drag onto the canvas: the browser's own, and the server's when one answers. */
export function Palette() {
  const serverOperations = useUiStore(selectServerOperations);
  const serverState = useUiStore(selectServerState);

  const flow = useReactFlow<LayerNode, DependencyEdge>();
  const addInFreeSpace = (operation: OperationInfo) => addOperationInFreeSpace(operation, flow);
  const [filter, setFilter] = useState('');
  const browserShown = browserCatalog.filter((operation) => matchesOperation(operation, filter));
  const serverShown = serverOperations.filter((operation) => matchesOperation(operation, filter));

  return (
    <aside className="palette" aria-label="Operations">
      <input
        type="search"
        className="input palette-filter"
        placeholder="Filter operations"
        aria-label="Filter operations"
        value={filter}
        data-testid="palette-filter"
        onChange={(event) => setFilter(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && setFilter('')}
      />
      <div className="section-title">Browser operations</div>
      <p className="palette-hint">Drag onto the canvas to add a layer. These run in this tab.</p>
      {browserShown.length === 0 && (
        <p className="palette-hint" data-testid="palette-no-match">
          No browser operation matches “{filter}”.
        </p>
      )}
      {browserShown.map((operation) => (
        <PaletteItem key={operation.name} operation={operation} onAdd={addInFreeSpace} />
      ))}
      <div className="section-title" style={{ marginTop: 16 }}>
        Server operations
      </div>
      {serverState === 'online' && serverOperations.length > 0 ? (
        serverShown.length === 0 ? (
          <p className="palette-hint">No server operation matches “{filter}”.</p>
        ) : (
          serverShown.map((operation) => (
            <PaletteItem
              key={`server:${operation.name}`}
              operation={operation}
              onAdd={addInFreeSpace}
            />
          ))
        )
      ) : (
        <p className="palette-hint">
          {serverState === 'online'
            ? 'The server registers no operations.'
            : 'No server answers at /api. Start one (pnpm start) to list its operations and run sequences on it.'}
        </p>
      )}
      <div className="section-title" style={{ marginTop: 16 }}>
        Shortcuts
      </div>
      <div className="shortcuts">
        <span className="kbd">Ctrl K</span>
        <span>Find</span>
        <span className="kbd">Ctrl Z</span>
        <span>Undo</span>
        <span className="kbd">Ctrl C / V</span>
        <span>Copy / paste layers</span>
        <span className="kbd">Del</span>
        <span>Delete selection</span>
        <span className="kbd">?</span>
        <button
          type="button"
          className="link-button"
          data-testid="open-shortcut-help"
          onClick={() => dialogsStore.getState().show('help')}
        >
          All shortcuts
        </button>
      </div>
    </aside>
  );
}
