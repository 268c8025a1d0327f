import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import {
  cancelled,
  failed,
  finished,
  recordOf,
  redelivered,
  retried,
  running,
  seedRun,
  skipped,
  started,
  succeeded,
} from './run-record.fixture.js';
import { renderTimeline } from './timeline.js';

/** The row of a layer, split into its three columns. */
function row(text: string, name: string): { name: string; bar: string; time: string } {
  const line = text.split('\n').find((candidate) => candidate.startsWith(name));
  if (line === undefined) throw new Error(`No row starts with ${name}:\n${text}`);
  const [first = '', bar = '', time = ''] = line.split('│');
  return { name: first, bar, time };
}

function rows(text: string): string[] {
  return text.split('\n').slice(4);
}

describe('renderTimeline', () => {
  it("draws the seed's run in the seed's format, bars scaled to the run's span", () => {
    expect(renderTimeline(seedRun())).toBe(
      [
        '--- Execution Timeline ---',
        '',
        'Task Name     │Progress                        │Execution Time',
        '─────────────────────────────────────────────────────────────────',
        'checkInventory│   █████                        │+0.100s to +0.300s (0.200s)',
        'validateCustom│    ███████                     │+0.150s to +0.400s (0.250s)',
        'reserveInvento│         ██████                 │+0.350s to +0.550s (0.200s)',
        'createOrder   │                ███████         │+0.600s to +0.850s (0.250s)',
        'processPayment│                        ████████│+0.900s to +1.200s (0.300s)',
      ].join('\n'),
    );
  });

  it("prints the seed's execution time column exactly", () => {
    const times = rows(renderTimeline(seedRun())).map((line) => line.split('│')[2]);
    expect(times).toEqual([
      '+0.100s to +0.300s (0.200s)',
      '+0.150s to +0.400s (0.250s)',
      '+0.350s to +0.550s (0.200s)',
      '+0.600s to +0.850s (0.250s)',
      '+0.900s to +1.200s (0.300s)',
    ]);
  });

  it("rules the header off with the seed's 65 cells, and with the header's length + 3 at other widths", () => {
    const [, , header = '', rule = ''] = renderTimeline(seedRun()).split('\n');
    expect(rule).toBe('─'.repeat(65));
    const [, , wideHeader = '', wideRule = ''] = renderTimeline(seedRun(), {
      width: 50,
      nameWidth: 20,
    }).split('\n');
    expect(wideHeader).toBe(`${'Task Name'.padEnd(20)}│${'Progress'.padEnd(50)}│Execution Time`);
    expect(wideRule).toBe('─'.repeat(wideHeader.length + 3));
    expect(header.length + 3).toBe(65);
  });

  it('orders rows by first start, layers that never started last in declaration order', () => {
    const record = recordOf(
      started([
        { name: 'late' },
        { name: 'waiting' },
        { name: 'early' },
        { name: 'queued' },
        { name: 'middle' },
      ]),
      succeeded('early', 10, 20),
      succeeded('middle', 30, 40),
      running('late', 50),
      { type: 'layer:queued', layer: 'queued', time: 55 },
    );
    expect(rows(renderTimeline(record)).map((line) => line.split('│')[0]?.trimEnd())).toEqual([
      'early',
      'middle',
      'late',
      'waiting',
      'queued',
    ]);
    expect(row(renderTimeline(record), 'waiting').time).toBe('pending');
    expect(row(renderTimeline(record), 'queued').time).toBe('queued');
  });

  it('cuts long names and pads short ones to the name column', () => {
    const record = recordOf(
      started([{ name: 'aVeryLongLayerNameIndeed' }, { name: 'x' }]),
      succeeded('aVeryLongLayerNameIndeed', 0, 10),
      succeeded('x', 10, 20),
      finished(20),
    );
    const text = renderTimeline(record);
    expect(row(text, 'aVery').name).toBe('aVeryLongLayer');
    expect(row(text, 'x ').name).toBe('x             ');
    expect(row(renderTimeline(record, { nameWidth: 5 }), 'aVery').name).toBe('aVery');
  });

  it('fills every cell for a layer spanning the whole run and half for one spanning half', () => {
    const record = recordOf(
      started([{ name: 'whole' }, { name: 'half' }]),
      succeeded('whole', 0, 1000),
      succeeded('half', 500, 1000),
      finished(1000),
    );
    const text = renderTimeline(record, { width: 10 });
    expect(row(text, 'whole').bar).toBe('██████████');
    expect(row(text, 'half').bar).toBe('     █████');
  });

  it('gives a very short layer at least one cell', () => {
    const record = recordOf(
      started([{ name: 'long' }, { name: 'blip' }, { name: 'instant' }]),
      succeeded('long', 0, 10_000),
      succeeded('blip', 10_000, 10_001),
      succeeded('instant', 5000, 5000),
      finished(10_001),
    );
    const text = renderTimeline(record);
    expect(row(text, 'blip').bar).toBe(`${' '.repeat(31)}█`);
    expect(row(text, 'instant').bar.trim()).toBe('');
    expect(row(text, 'instant').time).toBe('+5.000s to +5.000s (0.000s)');
  });

  it('marks a retried attempt with light shade and the attempt that succeeded with a full block', () => {
    const record = recordOf(
      started([{ name: 'flaky' }]),
      retried('flaky', 0, 400, 1, 200),
      succeeded('flaky', 600, 1000, 2),
      finished(1000),
    );
    const flaky = row(renderTimeline(record, { width: 10 }), 'flaky');
    expect(flaky.bar).toBe('░░░░  ████');
    expect(flaky.time).toBe('+0.000s to +1.000s (1.000s)');
  });

  it('marks the part of an attempt lost with its worker with crosses and says the layer was redelivered', () => {
    const record = recordOf(
      started([{ name: 'slow' }]),
      running('slow', 0),
      redelivered('slow', 400, 'worker-b', 'worker-a'),
      { type: 'layer:succeeded', layer: 'slow', attempt: 1, result: null, time: 1000 },
      finished(1000),
    );
    const slow = row(renderTimeline(record, { width: 10 }), 'slow');
    expect(slow.bar).toBe('××××██████');
    expect(slow.time).toBe('+0.000s to +1.000s (1.000s) redelivered');
  });

  it('marks a final failed attempt with dark shade and says the layer failed', () => {
    const record = recordOf(
      started([{ name: 'doomed' }]),
      retried('doomed', 0, 500, 1),
      failed('doomed', 500, 1000, 2),
      finished(1000, 'failed'),
    );
    const doomed = row(renderTimeline(record, { width: 10 }), 'doomed');
    expect(doomed.bar).toBe('░░░░░▓▓▓▓▓');
    expect(doomed.time).toBe('+0.000s to +1.000s (1.000s) failed');
  });

  it('shows a skipped layer with an empty bar and the upstream layer that failed', () => {
    const record = recordOf(
      started([{ name: 'broken' }, { name: 'after', dependsOn: ['broken'] }, { name: 'stopped' }]),
      failed('broken', 0, 100),
      skipped('after', 100, 'broken'),
      skipped('stopped', 100),
      finished(100, 'failed'),
    );
    const text = renderTimeline(record);
    expect(row(text, 'after')).toEqual({
      name: 'after         ',
      bar: ' '.repeat(32),
      time: 'skipped (upstream broken failed)',
    });
    expect(row(text, 'stopped').time).toBe('skipped');
  });

  it('says cancelled after the times of a cancelled layer', () => {
    const record = recordOf(
      started([{ name: 'slow' }]),
      cancelled('slow', 100, 300),
      finished(300, 'cancelled'),
    );
    expect(row(renderTimeline(record), 'slow').time).toBe('+0.100s to +0.300s (0.200s) cancelled');
  });

  it('extends a running attempt to `now`, or to the last event without it', () => {
    const record = recordOf(
      started([{ name: 'done' }, { name: 'busy' }]),
      succeeded('done', 0, 500),
      running('busy', 500),
    );
    expect(row(renderTimeline(record, { width: 10 }), 'busy')).toMatchObject({
      bar: '          ',
      time: '+0.500s to +0.500s (0.000s) running',
    });
    expect(row(renderTimeline(record, { width: 10, now: 1000 }), 'busy')).toMatchObject({
      bar: '     █████',
      time: '+0.500s to +1.000s (0.500s) running',
    });
  });

  it('rejects a width or name width that is not a positive integer', () => {
    expect(() => renderTimeline(seedRun(), { width: 0 })).toThrow(ValidationError);
    expect(() => renderTimeline(seedRun(), { width: 0 })).toThrow(
      'Expected `width` to be an integer ≥ 1, got `0`.',
    );
    expect(() => renderTimeline(seedRun(), { nameWidth: 2.5 })).toThrow('`nameWidth`');
  });
});
