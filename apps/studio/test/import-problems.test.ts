import { describe, expect, it } from 'vitest';
import { demoSequence } from '../src/import-export/demo-sequence';
import { graphProblems } from '../src/import-export/graph-problems';
import { readSequence } from '../src/import-export/read-sequence';

const base = { format: 'fusync.sequence' as const, version: 1 };

describe('import lists every problem in one pass', () => {
  const text = JSON.stringify({
    ...base,
    layers: [
      { name: 'a', operation: 'wait', priority: 'high' },
      { name: 'a', operation: 'wait' },
      { name: 'b', operation: 'wait', dependsOn: ['zzz', 'c'] },
      { name: 'c', operation: 'wait', dependsOn: ['b'] },
      { name: 'd', operation: 'wait', retries: -1, dependsOn: ['d'] },
    ],
  });

  it('reports the schema, the duplicate name, the unknown dependency, the self-dependency and the cycle together', () => {
    const result = readSequence(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.path)).toEqual([
      'layers[0].priority',
      'layers[1].name',
      'layers[2].dependsOn[0]',
      'layers[3].dependsOn[0]',
      'layers[4].retries',
      'layers[4].dependsOn[0]',
    ]);
    expect(result.problems.map((problem) => problem.layerName)).toEqual([
      'a',
      'a',
      'b',
      'c',
      'd',
      'd',
    ]);
  });

  it("speaks the studio's language, not the builder API's", () => {
    const result = readSequence(text);
    if (result.ok) throw new Error('expected problems');
    for (const problem of result.problems)
      expect(problem.message).not.toMatch(/removeLayer|addLayer/);
    expect(result.problems[1]?.message).toMatch(/Two layers are named `a`/);
    expect(result.problems[3]?.message).toMatch(/cycle.*c -> b -> c/);
  });

  it('reports each of two separate cycles', () => {
    const problems = graphProblems({
      layers: [
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['a'] },
        { name: 'x', dependsOn: ['y'] },
        { name: 'y', dependsOn: ['x'] },
      ],
    });
    expect(problems.filter((problem) => /cycle/.test(problem.message))).toHaveLength(2);
  });

  it('accepts a valid sequence', () => {
    expect(graphProblems(demoSequence)).toEqual([]);
    expect(readSequence(JSON.stringify(demoSequence)).ok).toBe(true);
  });
});
