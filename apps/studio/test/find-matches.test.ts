import { describe, expect, it } from 'vitest';
import { FIND_LIMIT, findMatches, matchesOperation } from '../src/find/find-matches';
import { layerNode } from '../src/lib/sequence-document';
import type { OperationInfo } from '../src/operations';

const nodes = [
  layerNode({ name: 'chargeCard', operation: 'processPayment' }, { x: 0, y: 0 }),
  layerNode({ name: 'card', operation: 'wait' }, { x: 0, y: 0 }),
  layerNode({ name: 'fetch', operation: 'httpFetch' }, { x: 0, y: 0 }),
];
const operations: OperationInfo[] = [
  { name: 'processPayment', description: 'Charge the order amount', args: [], source: 'browser' },
  { name: 'wait', description: 'Wait 250 ms', args: [], source: 'browser' },
];

describe('find', () => {
  it('lists layers by name before operations, exact names and prefixes first', () => {
    const { matches } = findMatches('card', nodes, operations);
    expect(matches.map((m) => (m.kind === 'layer' ? m.name : m.operation.name))).toEqual([
      'card',
      'chargeCard',
    ]);
  });

  it('finds a layer by its operation, and the operation itself to add', () => {
    const { matches } = findMatches('payment', nodes, operations);
    expect(matches.map((m) => m.kind)).toEqual(['layer', 'operation']);
  });

  it('lists at most FIND_LIMIT matches and counts the rest', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      layerNode({ name: `layer${i}`, operation: 'wait' }, { x: 0, y: 0 }),
    );
    const { matches, total } = findMatches('layer', many, []);
    expect(matches).toHaveLength(FIND_LIMIT);
    expect(total).toBe(120);
  });

  it('filters the palette by name or description, ignoring case', () => {
    expect(matchesOperation(operations[0] as OperationInfo, 'CHARGE')).toBe(true);
    expect(matchesOperation(operations[1] as OperationInfo, 'charge')).toBe(false);
    expect(matchesOperation(operations[1] as OperationInfo, ' ')).toBe(true);
  });
});
