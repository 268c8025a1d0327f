import { onTabListKey } from '../components/tab-keys';
import {
  type PanelTab,
  selectPanelHeight,
  selectPanelOpen,
  selectPanelTab,
  uiStore,
  useUiStore,
} from '../stores/ui-store';
import { followPointerDrag } from './pointer-drag';
import { RunControls } from './RunControls';
import { RunMatchBanner } from './RunMatchBanner';
import { RunSplitView } from './RunSplitView';
import { ServerRunsView } from './ServerRunsView';
import { SpansView } from './SpansView';

// Timeline, graph and metrics sit beside the Gantt chart in the run tab (`RunSplitView`).
const TABS: readonly { id: PanelTab; label: string }[] = [
  { id: 'gantt', label: 'Run' },
  { id: 'spans', label: 'Spans' },
  { id: 'runs', label: 'Server runs' },
];

const TAB_IDS = TABS.map((item) => item.id);

function View({ tab }: { tab: PanelTab }) {
  switch (tab) {
    case 'gantt':
    case 'timeline':
    case 'graph':
    case 'metrics':
      return <RunSplitView />;
    case 'spans':
      return <SpansView />;
    case 'runs':
      return <ServerRunsView />;
  }
}

/** The bottom panel: run input on the left, the run read five ways on the right. */
/** Drags the panel's top edge: the panel takes the height between the pointer and the window's bottom. */
function startResize(event: React.PointerEvent<HTMLDivElement>): void {
  followPointerDrag(event, (move) =>
    uiStore
      .getState()
      .setPanelHeight(Math.min(window.innerHeight - move.clientY, window.innerHeight * 0.75)),
  );
}

export function RunPanel() {
  const tab = useUiStore(selectPanelTab);
  const open = useUiStore(selectPanelOpen);
  const height = useUiStore(selectPanelHeight);
  return (
    <section
      className={`run-panel${open ? '' : ' collapsed'}`}
      aria-label="Run"
      style={open ? { height } : undefined}
    >
      {open && (
        // biome-ignore lint/a11y/useSemanticElements: a draggable window splitter, the ARIA separator pattern; <hr> cannot take pointer capture semantics.
        <div
          className="panel-resizer"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the run panel"
          onPointerDown={startResize}
        />
      )}
      {open && <RunControls />}
      <div className="run-views" style={open ? undefined : { gridColumn: '1 / -1' }}>
        <div
          className="tabs"
          role="tablist"
          aria-label="Run views"
          onKeyDown={(event) =>
            onTabListKey(event, TAB_IDS, tab, (next) => uiStore.getState().setPanelTab(next))
          }
        >
          {TABS.map((item) => (
            <button
              key={item.id}
              type="button"
              role="tab"
              className="tab"
              tabIndex={tab === item.id ? 0 : -1}
              aria-selected={tab === item.id}
              data-testid={`tab-${item.id}`}
              onClick={() => uiStore.getState().setPanelTab(item.id)}
            >
              {item.label}
            </button>
          ))}
          <span style={{ flex: 1 }} />
          <button
            type="button"
            className="tab"
            onClick={() => uiStore.getState().togglePanel()}
            aria-label={open ? 'Collapse the run panel' : 'Expand the run panel'}
          >
            {open ? '▾' : '▴'}
          </button>
        </div>
        {open && <RunMatchBanner />}
        {open && (
          <div className="tab-body" role="tabpanel">
            <View tab={tab} />
          </div>
        )}
      </div>
    </section>
  );
}
