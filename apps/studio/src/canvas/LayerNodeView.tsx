import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo, useContext, useMemo } from 'react';
import type { LayerNode } from '../lib/sequence-document';
import { whereItRuns } from '../operations/where-it-runs';
import { selectLayerLive, useRunStore } from '../stores/run-store';
import { useUiStore } from '../stores/ui-store';
import { LowDetailContext } from './low-detail';

/**
 * One layer on the canvas. Memoised: it re-renders when its own node object
 * or its own live status changes, never because another layer changed.
 */
function LayerNodeViewImpl({ id, data, selected }: NodeProps<LayerNode>) {
  const live = useRunStore(useMemo(() => selectLayerLive(id), [id]));
  const [statusText, attemptsText, simText] = live.split('|');
  const status = statusText === '' ? undefined : statusText;
  // A simulation's statuses are what would happen with the expected durations, not what did.
  const simulated = simText === 'sim' && status !== undefined;
  const attempts = Number(attemptsText);
  const operation = data.layer.operation;
  const where = useUiStore((state) =>
    whereItRuns(operation, state.serverState === 'online' ? state.serverOperations : undefined),
  );
  const known = where !== 'unbound';
  const lowDetail = useContext(LowDetailContext);
  const { priority, retries, onError } = data.layer;
  const frame = {
    className: `layer-node status-${status ?? 'idle'}${selected ? ' selected' : ''}${simulated ? ' simulated' : ''}`,
    'data-testid': 'layer-node',
    'data-layer': id,
    'data-status': status ?? 'idle',
    'data-simulated': simulated,
  };
  // Zoomed out to tiles, nothing but the status colour shows: the text is not rendered at all.
  if (lowDetail)
    return (
      <div {...frame}>
        <Handle type="target" position={Position.Top} id="in" />
        <Handle type="source" position={Position.Bottom} id="out" />
      </div>
    );
  return (
    <div {...frame}>
      <Handle type="target" position={Position.Top} id="in" aria-label={`Dependencies of ${id}`} />
      {/* The name and its small badges on top; the operation and the status below, so a long operation name keeps its room. */}
      <div className="title">
        <span className="name" title={id}>
          {id}
        </span>
        {/* A simulation's mark always shows. */}
        {simulated && (
          <span
            className="badge sim"
            title="Simulated: a virtual clock with the expected durations; nothing ran"
          >
            sim
          </span>
        )}
        {/* The other badges give way to the name: those without room are hidden (the inspector has them all). */}
        <span className="badges">
          {attempts > 1 && (
            <span className="badge warn" title="Attempts started">
              ×{attempts}
            </span>
          )}
          {!known && (
            <span
              className="badge warn"
              title="No browser operation and no server operation has this name"
            >
              unbound
            </span>
          )}
          {(where === 'browser' || where === 'server') && (
            <span
              className={`badge where-${where}`}
              data-testid="where-badge"
              data-where={where}
              title={
                where === 'browser'
                  ? 'Browser only: the server has no operation of this name'
                  : 'Server only: this tab has no operation of this name'
              }
            >
              {where}
            </span>
          )}
          {priority !== undefined && priority !== 0 && (
            <span className="badge" title="Priority">
              P{priority}
            </span>
          )}
          {retries !== undefined && retries > 0 && (
            <span className="badge" title="Retries">
              ↻{retries}
            </span>
          )}
          {onError === 'continue' && (
            <span className="badge" title="onError: continue">
              continue
            </span>
          )}
        </span>
      </div>
      <div className="meta">
        {/* The operation is shown when it differs from the name, which it usually repeats. */}
        {operation !== id && (
          <span
            className="op"
            title={data.layer.description ? `${operation}: ${data.layer.description}` : operation}
          >
            {operation}
          </span>
        )}
        {status && status !== 'pending' ? (
          <span
            className={`status-chip ${status}${simulated ? ' simulated' : ''}`}
            title={
              simulated
                ? `Simulated: ${status} on a virtual clock with the expected durations; nothing ran`
                : status === 'reused'
                  ? 'Not executed in this rerun: its result is the parent run’s'
                  : undefined
            }
          >
            {status}
          </span>
        ) : null}
      </div>
      <Handle
        type="source"
        position={Position.Bottom}
        id="out"
        aria-label={`Layers waiting for ${id}`}
      />
    </div>
  );
}

export const LayerNodeView = memo(LayerNodeViewImpl);
