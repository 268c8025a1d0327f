import { describe, expect, it } from 'vitest';
import { checkArgs } from '../src/lib/check-args';

const layers = [
  { name: 'fetch' },
  { name: 'parse', dependsOn: ['fetch'] },
  { name: 'store', dependsOn: ['parse'] },
  { name: 'audit' },
];

function states(layer: string, args: string[], input?: string[]) {
  return checkArgs(layer, args, layers, input ? new Set(input) : undefined).map((c) => c.state);
}

describe('checking arguments before a run', () => {
  it('resolves upstream layers (transitively), paths into them and run input keys', () => {
    expect(states('store', ['fetch', 'parse.body', 'userId'], ['userId'])).toEqual([
      'layer',
      'layer',
      'input',
    ]);
  });

  it('flags a name nothing can supply, saying how to fix it', () => {
    const [check] = checkArgs('fetch', ['prodctId'], layers, new Set(['productId']));
    expect(check?.state).toBe('unresolved');
    expect(check?.message).toContain('Add `prodctId` to the run input');
  });

  it('flags a layer that is not upstream, and a path into one', () => {
    expect(states('store', ['audit', 'audit.id'], [])).toEqual(['unresolved', 'unresolved']);
    expect(checkArgs('store', ['audit'], layers, new Set())[0]?.message).toContain(
      'Connect `audit` to `store`',
    );
  });

  it('leaves a name that may be a field of an upstream result to the run, naming those layers', () => {
    const [check] = checkArgs('store', ['orderId'], layers, new Set());
    expect(check?.state).toBe('upstream-field');
    expect(check?.message).toContain('`parse`');
  });

  it('says when the run input cannot be read', () => {
    expect(checkArgs('fetch', ['x'], layers, undefined)[0]?.message).toContain('not a JSON object');
  });
});
