import { useReactFlow } from '@xyflow/react';
import { OPERATION_MIME } from '../canvas/Canvas';
import { freeSpot } from '../lib/free-space';
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
      title="Drag onto the canvas, or click to add it in free space"
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
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();

  // A click places the layer in the free spot nearest the middle of the view, and brings it into view.
  const addInFreeSpace = (operation: OperationInfo) => {
    const canvas = document.querySelector('.react-flow')?.getBoundingClientRect();
    const centre = canvas
      ? screenToFlowPosition({
          x: canvas.left + canvas.width / 2,
          y: canvas.top + canvas.height / 2,
        })
      : { x: 0, y: 0 };
    const at = freeSpot(
      graphStore.getState().nodes.map((node) => node.position),
      { x: Math.round(centre.x - NODE_WIDTH / 2), y: Math.round(centre.y - NODE_HEIGHT / 2) },
    );
    graphStore.getState().addLayer(
      {
        operation: operation.name,
        args: operation.args,
        ...(operation.expectedDurationMs !== undefined
          ? { expectedDurationMs: operation.expectedDurationMs }
          : {}),
      },
      at,
    );
    if (canvas) {
      const topLeft = screenToFlowPosition({ x: canvas.left, y: canvas.top });
      const bottomRight = screenToFlowPosition({ x: canvas.right, y: canvas.bottom });
      const inView =
        at.x >= topLeft.x &&
        at.y >= topLeft.y &&
        at.x + NODE_WIDTH <= bottomRight.x &&
        at.y + NODE_HEIGHT <= bottomRight.y;
      if (!inView)
        void setCenter(at.x + NODE_WIDTH / 2, at.y + NODE_HEIGHT / 2, {
          zoom: getZoom(),
          duration: 200,
        });
    }
  };

  return (
    <aside className="palette" aria-label="Operations">
      <div className="section-title">Browser operations</div>
      <p className="palette-hint">Drag onto the canvas to add a layer. These run in this tab.</p>
      {browserCatalog.map((operation) => (
        <PaletteItem key={operation.name} operation={operation} onAdd={addInFreeSpace} />
      ))}
      <div className="section-title" style={{ marginTop: 16 }}>
        Server operations
      </div>
      {serverState === 'online' && serverOperations.length > 0 ? (
        serverOperations.map((operation) => (
          <PaletteItem
            key={`server:${operation.name}`}
            operation={operation}
            onAdd={addInFreeSpace}
          />
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
