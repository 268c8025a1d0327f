import { useReactFlow } from '@xyflow/react';
import { OPERATION_MIME } from '../canvas/Canvas';
import { NODE_HEIGHT, NODE_WIDTH } from '../lib/layout';
import { browserCatalog, type OperationInfo } from '../operations';
import { graphStore } from '../stores/graph-store';
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
      title="Drag onto the canvas, or click to add at the centre"
    >
      <b>
        {operation.name}
        <span className={`source-tag ${operation.source}`}>{operation.source}</span>
      </b>
      <span>
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
  const { screenToFlowPosition } = useReactFlow();

  const addAtCentre = (operation: OperationInfo) => {
    const canvas = document.querySelector('.canvas')?.getBoundingClientRect();
    const centre = canvas
      ? screenToFlowPosition({
          x: canvas.left + canvas.width / 2,
          y: canvas.top + canvas.height / 2,
        })
      : { x: 0, y: 0 };
    const count = graphStore.getState().nodes.length;
    graphStore.getState().addLayer(
      {
        operation: operation.name,
        args: operation.args,
        ...(operation.expectedDurationMs !== undefined
          ? { expectedDurationMs: operation.expectedDurationMs }
          : {}),
      },
      {
        x: Math.round(centre.x - NODE_WIDTH / 2 + (count % 5) * 16),
        y: Math.round(centre.y - NODE_HEIGHT / 2 + (count % 5) * 16),
      },
    );
  };

  return (
    <aside className="palette" aria-label="Operations">
      <div className="section-title">Browser operations</div>
      <p className="palette-hint">Drag onto the canvas to add a layer. These run in this tab.</p>
      {browserCatalog.map((operation) => (
        <PaletteItem key={operation.name} operation={operation} onAdd={addAtCentre} />
      ))}
      <div className="section-title" style={{ marginTop: 16 }}>
        Server operations
      </div>
      {serverState === 'online' && serverOperations.length > 0 ? (
        serverOperations.map((operation) => (
          <PaletteItem key={`server:${operation.name}`} operation={operation} onAdd={addAtCentre} />
        ))
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
        <span className="kbd">Ctrl Z</span>
        <span>Undo</span>
        <span className="kbd">Ctrl ⇧ Z</span>
        <span>Redo</span>
        <span className="kbd">Ctrl C / V</span>
        <span>Copy / paste layers</span>
        <span className="kbd">Del</span>
        <span>Delete selection</span>
        <span className="kbd">Ctrl A</span>
        <span>Select all</span>
        <span className="kbd">Shift drag</span>
        <span>Box select</span>
        <span className="kbd">Ctrl click</span>
        <span>Add to selection</span>
      </div>
    </aside>
  );
}
