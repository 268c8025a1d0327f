import type { LayerNode } from '../lib/sequence-document';
import type { OperationInfo } from '../operations';

/** Whether an operation's name or description contains the query (case-insensitive; an empty query matches all). */
export function matchesOperation(operation: OperationInfo, query: string): boolean {
  const q = query.trim().toLowerCase();
  return (
    q === '' ||
    operation.name.toLowerCase().includes(q) ||
    operation.description.toLowerCase().includes(q)
  );
}

/** What Find offers: a layer on the canvas, or an operation to add. */
export type FindMatch =
  | { kind: 'layer'; name: string; operation: string }
  | { kind: 'operation'; operation: OperationInfo };

/** How many matches Find lists; the rest are counted. */
export const FIND_LIMIT = 50;

function rank(text: string, q: string): number {
  const lower = text.toLowerCase();
  if (lower === q) return 0;
  if (lower.startsWith(q)) return 1;
  return lower.includes(q) ? 2 : -1;
}

/**
 * Layers whose name or operation contains the query, then operations whose
 * name does: exact names first, then prefixes, then the rest, each in canvas
 * or palette order. `total` counts all, `matches` holds the first `FIND_LIMIT`.
 */
export function findMatches(
  query: string,
  nodes: readonly LayerNode[],
  operations: readonly OperationInfo[],
): { matches: FindMatch[]; total: number } {
  const q = query.trim().toLowerCase();
  if (q === '') return { matches: [], total: 0 };
  const layers: [number, FindMatch][] = [];
  for (const node of nodes) {
    const byName = rank(node.id, q);
    const byOperation = rank(node.data.layer.operation, q);
    const best = byName >= 0 ? byName : byOperation >= 0 ? byOperation + 3 : -1;
    if (best >= 0)
      layers.push([best, { kind: 'layer', name: node.id, operation: node.data.layer.operation }]);
  }
  const seen = new Set<string>();
  const ops: [number, FindMatch][] = [];
  for (const operation of operations) {
    const at = rank(operation.name, q);
    const key = `${operation.source}:${operation.name}`;
    if (at >= 0 && !seen.has(key)) {
      seen.add(key);
      ops.push([at, { kind: 'operation', operation }]);
    }
  }
  const sorted = [...layers, ...ops.map(([r, m]) => [r + 10, m] as [number, FindMatch])]
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry[0] - b.entry[0] || a.index - b.index)
    .map(({ entry }) => entry[1]);
  return { matches: sorted.slice(0, FIND_LIMIT), total: sorted.length };
}
