import { useMemo } from 'react';
import { LayerDetails } from '../details/LayerDetails';
import {
  graphStore,
  selectSelectedEdgeCount,
  selectSelectedKey,
  useGraphStore,
} from '../stores/graph-store';
import { selectLayerStatus, useRunStore } from '../stores/run-store';
import { selectInspectorTab, uiStore, useUiStore } from '../stores/ui-store';
import { LayerInspector } from './LayerInspector';
import { SequenceInspector } from './SequenceInspector';
import { onTabListKey } from './tab-keys';

const INSPECTOR_TABS = ['settings', 'details'] as const;

/** One selected layer: its fields, or what the run on display did with it. */
function SelectedLayer({ name }: { name: string }) {
  const tab = useUiStore(selectInspectorTab);
  const status = useRunStore(useMemo(() => selectLayerStatus(name), [name]));
  return (
    <>
      <div
        className="inspector-tabs"
        role="tablist"
        aria-label="Layer"
        onKeyDown={(event) =>
          onTabListKey(event, INSPECTOR_TABS, tab, (next) =>
            uiStore.getState().setInspectorTab(next),
          )
        }
      >
        <button
          type="button"
          role="tab"
          className="tab"
          tabIndex={tab === 'settings' ? 0 : -1}
          aria-selected={tab === 'settings'}
          data-testid="inspector-tab-settings"
          onClick={() => uiStore.getState().setInspectorTab('settings')}
        >
          Settings
        </button>
        <button
          type="button"
          role="tab"
          className="tab"
          tabIndex={tab === 'details' ? 0 : -1}
          aria-selected={tab === 'details'}
          data-testid="inspector-tab-details"
          title="Every attempt of the layer in the run on display: timing, arguments, result or error"
          onClick={() => uiStore.getState().setInspectorTab('details')}
        >
          Run details
          {status && status !== 'pending' && <i className={`tab-dot ${status}`} />}
        </button>
      </div>
      {tab === 'settings' ? (
        <LayerInspector key={name} name={name} />
      ) : (
        <div role="tabpanel">
          <h2 title={name}>{name}</h2>
          <LayerDetails name={name} />
        </div>
      )}
    </>
  );
}

/** The right column: the selected layer, the selection, or the sequence's options. */
export function Inspector() {
  const selectedKey = useGraphStore(selectSelectedKey);
  const selectedEdges = useGraphStore(selectSelectedEdgeCount);
  const names = selectedKey === '' ? [] : selectedKey.split('\n');
  return (
    <aside className="inspector" aria-label="Inspector">
      {names.length === 1 ? (
        <SelectedLayer name={names[0] as string} />
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
