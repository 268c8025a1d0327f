import { useMemo } from 'react';
import { checkArgs } from '../lib/check-args';
import { parseRunInput } from '../run/run-input';
import { useGraphStore } from '../stores/graph-store';
import { selectInputText, useUiStore } from '../stores/ui-store';

/**
 * Where each argument of a layer will come from, checked against the canvas
 * and the run input as they are now; one that nothing can supply is flagged
 * before a run.
 */
export function ArgsCheck({ layer, args }: { layer: string; args: readonly string[] }) {
  const inputText = useUiStore(selectInputText);
  // Upstream names as one string: dragging nodes does not re-render this.
  const graphKey = useGraphStore((state) =>
    state.nodes
      .map((node) => `${node.id}<${(node.data.layer.dependsOn ?? []).join(',')}`)
      .join('\n'),
  );
  const checks = useMemo(() => {
    const layers = graphKey.split('\n').map((line) => {
      const [name = '', deps = ''] = line.split('<');
      return { name, dependsOn: deps === '' ? [] : deps.split(',') };
    });
    const input = parseRunInput(inputText);
    return checkArgs(layer, args, layers, input.ok ? new Set(Object.keys(input.value)) : undefined);
  }, [graphKey, inputText, layer, args]);
  if (checks.length === 0) return null;
  const unresolved = checks.filter((check) => check.state === 'unresolved').length;
  return (
    <ul
      className="args-check"
      data-testid="args-check"
      data-unresolved={unresolved}
      aria-label="Where the arguments come from"
    >
      {checks.map((check) => (
        <li
          key={check.arg}
          className={`args-check-item ${check.state}`}
          data-testid="args-check-item"
          data-arg={check.arg}
          data-state={check.state}
          role={check.state === 'unresolved' ? 'alert' : undefined}
        >
          <code>{check.arg}</code>
          <span>
            {check.state === 'unresolved' ? 'cannot resolve: ' : ''}
            {check.message}
          </span>
        </li>
      ))}
    </ul>
  );
}
