import {
  graphStore,
  selectSelectedEdgeCount,
  selectSelectedKey,
  useGraphStore,
} from '../stores/graph-store';
import { LayerInspector } from './LayerInspector';
import { SequenceInspector } from './SequenceInspector';

/** The right column: the selected layer, the selection, or the sequence's options. */
export function Inspector() {
  const selectedKey = useGraphStore(selectSelectedKey);
  const selectedEdges = useGraphStore(selectSelectedEdgeCount);
  const names = selectedKey === '' ? [] : selectedKey.split('\n');
  return (
    <aside className="inspector" aria-label="Inspector">
      {names.length === 1 ? (
        <LayerInspector key={names[0]} name={names[0] as string} />
      ) : names.length > 1 || selectedEdges > 0 ? (
        <div data-testid="selection-inspector">
          <h2>
            {names.length > 0 ? `${names.length} layers` : ''}
            {names.length > 0 && selectedEdges > 0 ? ' and ' : ''}
            {selectedEdges > 0
              ? `${selectedEdges} dependenc${selectedEdges === 1 ? 'y' : 'ies'}`
              : ''}
          </h2>
          <p className="subtitle">selected</p>
          <button
            type="button"
            className="button danger"
            onClick={() => graphStore.getState().removeSelected()}
          >
            Delete selection
          </button>
          <p className="muted" style={{ marginTop: 12, lineHeight: 1.5 }}>
            Press <span className="kbd">Del</span> to delete, <span className="kbd">Ctrl C</span> to
            copy. Select a single layer to edit its fields.
          </p>
          <div className="divider" />
          <SequenceInspector />
        </div>
      ) : (
        <SequenceInspector />
      )}
    </aside>
  );
}
