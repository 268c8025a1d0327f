import '../operations/where.css';
import { layersThatCannotRun, type RunTarget } from '../operations/where-it-runs';
import { useGraphStore } from '../stores/graph-store';
import { useUiStore } from '../stores/ui-store';

const PLACE: Record<RunTarget, string> = { browser: 'in the browser', server: 'on the server' };
/** Layers named in a button's title; the rest are counted. */
const NAMED = 8;

/** The layers that cannot run on `target`, kept in step with the canvas and the server's operations. */
export function useCannotRun(target: RunTarget): readonly string[] {
  const serverOperations = useUiStore((state) =>
    state.serverState === 'online' ? state.serverOperations : undefined,
  );
  const key = useGraphStore((state) => layersThatCannotRun(state.nodes, target, serverOperations));
  return key === '' ? [] : key.split('\n');
}

/** What a run button says, before the run, about layers that cannot run there. */
export function cannotRunText(target: RunTarget, names: readonly string[]): string {
  const shown = names
    .slice(0, NAMED)
    .map((name) => `\`${name}\``)
    .join(', ');
  const more = names.length > NAMED ? ` and ${names.length - NAMED} more` : '';
  const where =
    target === 'browser' ? 'only on the server or nowhere' : 'only in the browser or nowhere';
  return `${names.length} layer${names.length === 1 ? '' : 's'} cannot run ${PLACE[target]}: ${shown}${more} (${names.length === 1 ? 'its operation is' : 'their operations are'} known ${where}). The run would fail at ${names.length === 1 ? 'it' : 'the first'}.`;
}

/** A warning mark inside a run button: how many layers cannot run there; the title names them. */
export function CannotRunBadge({ target, names }: { target: RunTarget; names: readonly string[] }) {
  if (names.length === 0) return null;
  return (
    <span className="cannot-run" data-testid={`cannot-run-${target}`} data-layers={names.join(',')}>
      <span aria-hidden="true">⚠ {names.length}</span>
      <span className="sr-only">{cannotRunText(target, names)}</span>
    </span>
  );
}
