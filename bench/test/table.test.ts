import { describe, expect, it } from 'vitest';
import { renderTable, renderTargets } from '../src/table.js';

describe('table', () => {
  it('pads cells into columns and right-aligns figure columns', () => {
    const text = renderTable({
      title: 'T',
      columns: ['runner', 'median ms'],
      rows: [
        { runner: 'fusync', 'median ms': '1,234' },
        { runner: 'async.auto', 'median ms': 'skipped (slow)' },
        { runner: 'p-graph' },
      ],
      notes: ['a note'],
    });
    expect(text.split('\n')).toEqual([
      '### T',
      '',
      '| runner     |      median ms |',
      '| ---------- | -------------: |',
      '| fusync     |          1,234 |',
      '| async.auto | skipped (slow) |',
      '| p-graph    |              — |',
      '',
      '- a note',
    ]);
  });

  it('marks each target PASS, MISS or n/a', () => {
    const text = renderTargets([
      { goal: 'fast', measured: '1 ms', pass: true },
      { goal: 'small', measured: '900 MB', pass: false },
      { goal: 'there', measured: 'no figures', pass: undefined },
    ]);
    expect(text).toContain('**PASS** fast: 1 ms');
    expect(text).toContain('**MISS** small: 900 MB');
    expect(text).toContain('**n/a** there: no figures');
  });
});
