import { describe, expect, it } from 'vitest';
import { layerNode } from '../src/lib/sequence-document';
import type { OperationInfo } from '../src/operations';
import { canRunOn, layersThatCannotRun, whereItRuns } from '../src/operations/where-it-runs';

const server: OperationInfo[] = [
  { name: 'wait', description: '', args: [], source: 'server' },
  { name: 'httpRequest', description: '', args: [], source: 'server' },
];

describe('where a layer can run', () => {
  it('tells browser-only, server-only, both and unbound operations apart', () => {
    expect(whereItRuns('wait', server)).toBe('both');
    expect(whereItRuns('fail', server)).toBe('browser');
    expect(whereItRuns('httpRequest', server)).toBe('server');
    expect(whereItRuns('mystery', server)).toBe('unbound');
  });

  it('claims nothing about the server while none answers', () => {
    expect(whereItRuns('fail', undefined)).toBe('browser-unknown-server');
    expect(canRunOn('browser-unknown-server', 'browser')).toBe(true);
    expect(canRunOn('browser-unknown-server', 'server')).toBe(false);
  });

  it('names the layers that cannot run on each target', () => {
    const nodes = [
      layerNode({ name: 'a', operation: 'wait' }, { x: 0, y: 0 }),
      layerNode({ name: 'boom', operation: 'fail' }, { x: 0, y: 0 }),
      layerNode({ name: 'call', operation: 'httpRequest' }, { x: 0, y: 0 }),
      layerNode({ name: 'x', operation: 'mystery' }, { x: 0, y: 0 }),
    ];
    expect(layersThatCannotRun(nodes, 'browser', server).split('\n')).toEqual(['call', 'x']);
    expect(layersThatCannotRun(nodes, 'server', server).split('\n')).toEqual(['boom', 'x']);
  });
});
