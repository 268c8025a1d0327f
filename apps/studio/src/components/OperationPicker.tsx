import { useId } from 'react';
import '../operations/where.css';
import { browserCatalog, type OperationInfo } from '../operations';
import { type WhereItRuns, whereItRuns } from '../operations/where-it-runs';
import { useUiStore } from '../stores/ui-store';

const WHERE_TEXT: Record<WhereItRuns, string> = {
  both: 'Runs in the browser and on the server.',
  browser: 'Browser only: the server has no operation of this name.',
  server: 'Server only: this tab has no operation of this name.',
  unbound: 'Unbound: neither this tab nor the server has an operation of this name.',
  'browser-unknown-server': 'Runs in the browser; no server answers to say whether it has it.',
};

function groups(serverOperations: readonly OperationInfo[] | undefined) {
  const names = new Map<string, WhereItRuns>();
  for (const op of [...browserCatalog, ...(serverOperations ?? [])])
    if (!names.has(op.name)) names.set(op.name, whereItRuns(op.name, serverOperations));
  const of = (where: WhereItRuns) =>
    [...names].filter(([, w]) => w === where).map(([name]) => name);
  return serverOperations === undefined
    ? [{ label: 'In the browser', names: of('browser-unknown-server') }]
    : [
        { label: 'In the browser and on the server', names: of('both') },
        { label: 'Browser only', names: of('browser') },
        { label: 'Server only', names: of('server') },
      ].filter((group) => group.names.length > 0);
}

/**
 * The known operations to choose a layer's from, grouped by where they run,
 * and where the current one runs. The text field beside it still takes any
 * name (one bound later, by the server or by `load()`'s registry).
 */
export function OperationPicker({
  operation,
  onPick,
}: {
  operation: string;
  onPick(operation: string): void;
}) {
  const id = useId();
  const serverOperations = useUiStore((state) =>
    state.serverState === 'online' ? state.serverOperations : undefined,
  );
  const where = whereItRuns(operation, serverOperations);
  return (
    <div className="operation-picker">
      <select
        id={id}
        className="select"
        aria-label="Choose a known operation"
        value=""
        data-testid="layer-operation-pick"
        onChange={(event) => event.target.value !== '' && onPick(event.target.value)}
      >
        <option value="">Choose a known operation…</option>
        {groups(serverOperations).map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p className={`where-text where-${where}`} data-testid="layer-where" data-where={where}>
        {WHERE_TEXT[where]}
      </p>
    </div>
  );
}
