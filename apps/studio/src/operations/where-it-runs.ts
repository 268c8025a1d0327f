import type { LayerNode } from '../lib/sequence-document';
import type { OperationInfo } from './catalog';
import { browserOperations } from './index';

/**
 * Where a layer's operation can run: `both`; only in this tab (`browser`) or
 * only on the server's workers (`server`); nowhere known (`unbound`). Without
 * a server online, what the server has is unknown: a browser operation is
 * `browser-unknown-server` (no mark; nothing says it is browser-only).
 */
export type WhereItRuns = 'both' | 'browser' | 'server' | 'unbound' | 'browser-unknown-server';

/** Run targets of the toolbar. */
export type RunTarget = 'browser' | 'server';

export function whereItRuns(
  operation: string,
  serverOperations: readonly OperationInfo[] | undefined,
): WhereItRuns {
  const inBrowser = Object.hasOwn(browserOperations, operation);
  if (serverOperations === undefined) return inBrowser ? 'browser-unknown-server' : 'unbound';
  const onServer = serverOperations.some((op) => op.name === operation);
  if (inBrowser) return onServer ? 'both' : 'browser';
  return onServer ? 'server' : 'unbound';
}

/** Whether a layer of `where` can run on `target` (as far as the studio knows). */
export function canRunOn(where: WhereItRuns, target: RunTarget): boolean {
  if (target === 'browser') return where !== 'server' && where !== 'unbound';
  return where === 'both' || where === 'server';
}

/**
 * Names of the layers that cannot run on `target`, joined by newlines (a
 * string, so a selector over it is stable while the canvas is dragged).
 * `serverOperations` is `undefined` while no server answers.
 */
export function layersThatCannotRun(
  nodes: readonly LayerNode[],
  target: RunTarget,
  serverOperations: readonly OperationInfo[] | undefined,
): string {
  let key = '';
  for (const node of nodes)
    if (!canRunOn(whereItRuns(node.data.layer.operation, serverOperations), target))
      key = key === '' ? node.id : `${key}\n${node.id}`;
  return key;
}
