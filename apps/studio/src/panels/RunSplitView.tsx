import './run-split.css';
import { useRef } from 'react';
import { onTabListKey } from '../components/tab-keys';
import { GanttChart } from '../gantt/GanttChart';
import {
  type AsciiView,
  SPLIT_LIMITS,
  selectAsciiView,
  selectSplitRatio,
  uiStore,
  useUiStore,
} from '../stores/ui-store';
import { GraphView } from './GraphView';
import { MetricsView } from './MetricsView';
import { followPointerDrag } from './pointer-drag';
import { TimelineView } from './TimelineView';

const VIEWS: readonly { id: AsciiView; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'graph', label: 'Graph' },
  { id: 'metrics', label: 'Metrics' },
];

/** One keyboard step of the splitter, as a share of the width. */
const KEY_STEP = 0.05;

const VIEW_IDS = VIEWS.map((item) => item.id);

function AsciiSide({ view }: { view: AsciiView }) {
  switch (view) {
    case 'timeline':
      return <TimelineView />;
    case 'graph':
      return <GraphView />;
    case 'metrics':
      return <MetricsView />;
  }
}

/**
 * The run tab: the Gantt chart and, beside it, the ASCII timeline, graph or
 * metrics a terminal user reads — both at once, the split resizable by
 * dragging (or the arrow keys on) the bar between them.
 */
export function RunSplitView() {
  const view = useUiStore(selectAsciiView);
  const ratio = useUiStore(selectSplitRatio);
  const splitRef = useRef<HTMLDivElement>(null);

  const startResize = (event: React.PointerEvent<HTMLDivElement>) => {
    const bounds = splitRef.current?.getBoundingClientRect();
    if (!bounds) return;
    followPointerDrag(event, (move) =>
      uiStore.getState().setSplitRatio((move.clientX - bounds.left) / bounds.width),
    );
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const step =
      event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : undefined;
    const to =
      event.key === 'Home'
        ? SPLIT_LIMITS.min
        : event.key === 'End'
          ? SPLIT_LIMITS.max
          : step !== undefined
            ? ratio + step
            : undefined;
    if (to === undefined) return;
    event.preventDefault();
    uiStore.getState().setSplitRatio(to);
  };

  return (
    <div className="run-split" ref={splitRef} data-testid="run-split">
      <div
        className="run-split-gantt"
        style={{ flexBasis: `${(ratio * 100).toFixed(1)}%` }}
        data-testid="run-split-gantt"
      >
        <GanttChart />
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable window splitter (ARIA separator pattern); <hr> takes no pointer capture or value. */}
      <div
        className="run-split-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the Gantt chart and the ASCII view"
        aria-valuemin={Math.round(SPLIT_LIMITS.min * 100)}
        aria-valuemax={Math.round(SPLIT_LIMITS.max * 100)}
        aria-valuenow={Math.round(ratio * 100)}
        tabIndex={0}
        data-testid="run-split-handle"
        onPointerDown={startResize}
        onKeyDown={onKeyDown}
      />
      <div className="run-split-ascii" data-testid="run-split-ascii">
        <div
          className="ascii-switch"
          role="tablist"
          aria-label="View beside the Gantt chart"
          onKeyDown={(event) =>
            onTabListKey(event, VIEW_IDS, view, (next) => uiStore.getState().setPanelTab(next))
          }
        >
          {VIEWS.map((item) => (
            <button
              key={item.id}
              type="button"
              role="tab"
              className="ascii-switch-item"
              tabIndex={view === item.id ? 0 : -1}
              aria-selected={view === item.id}
              data-testid={`tab-${item.id}`}
              onClick={() => uiStore.getState().setPanelTab(item.id)}
            >
              {item.label}
            </button>
          ))}
        </div>
        <div className="ascii-side" role="tabpanel">
          <AsciiSide view={view} />
        </div>
      </div>
    </div>
  );
}
