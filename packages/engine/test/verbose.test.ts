import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerContext,
  type Logger,
  type SequenceConfig,
  VirtualClock,
} from '../src/index.js';
import { settleOnClock, sleep } from './helpers.js';

interface Line {
  level: keyof Logger;
  message: string;
}

function capturingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const logger: Logger = {
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
  return { logger, lines };
}

/** An order flow on a virtual clock: a retry, a tolerated failure, a skip. */
function orderFlow(clock: VirtualClock, config: SequenceConfig): AdvancedSequenceBuilder {
  return new AdvancedSequenceBuilder(config)
    .addLayer({
      name: 'checkStock',
      execute: async () => {
        await sleep(clock, 100);
        return 3;
      },
    })
    .addLayer({
      name: 'reserve',
      execute: async (_stock: number, { attempt }: LayerContext) => {
        await sleep(clock, 50);
        if (attempt === 1) throw new Error('lock busy');
        return 'r-1';
      },
      dependsOn: ['checkStock'],
      retries: 1,
    })
    .addLayer({
      name: 'notify',
      execute: async () => {
        await sleep(clock, 10);
        throw new Error('mail server down');
      },
      onError: 'continue',
    })
    .addLayer({ name: 'audit', execute: async () => 'never', dependsOn: ['notify'] });
}

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('verbose output', () => {
  it('logs progress and ends with the timeline and the metrics', async () => {
    const clock = new VirtualClock(0);
    const { logger, lines } = capturingLogger();

    const run = await settleOnClock(
      clock,
      orderFlow(clock, { verbose: true, logger }).build({}, { clock }),
    );

    const text = lines.map((line) => line.message);
    const progress = text.slice(0, -2).join('\n');
    for (const layer of ['checkStock', 'reserve', 'notify']) {
      expect(progress).toContain(layer);
    }
    expect(progress).toMatch(/checkStock.*started/);
    expect(progress).toMatch(/checkStock.*succeeded/);
    expect(
      lines.some((line) => line.level === 'warn' && /reserve.*lock busy/.test(line.message)),
    ).toBe(true);
    expect(
      lines.some((line) => line.level === 'error' && /notify.*mail server down/.test(line.message)),
    ).toBe(true);
    expect(progress).toMatch(/audit.*skipped/);
    expect(progress).toContain(run.status);

    const [timeline, metrics] = text.slice(-2);
    expect(timeline).toContain('--- Execution Timeline ---');
    expect(timeline).toContain('Task Name');
    for (const layer of ['checkStock', 'reserve', 'notify', 'audit'])
      expect(timeline).toContain(layer);
    expect(timeline).toContain('+0.000s to +0.100s (0.100s)');
    expect(metrics).toContain('--- Sequence Execution Performance Metrics ---');
    expect(metrics).toContain('Total Tasks: 4');
    expect(metrics).toContain('Successful Tasks: 2');
    expect(metrics).toContain('Failed Tasks: 1');
    expect(metrics).toContain('Total Execution Time: 0.200 seconds');
  });

  it('logs one progress line per state change, in the order they happened', async () => {
    const clock = new VirtualClock(0);
    const { logger, lines } = capturingLogger();
    const sequence = new AdvancedSequenceBuilder({ verbose: true, logger })
      .addLayer({ name: 'first', execute: async () => sleep(clock, 5) })
      .addLayer({ name: 'second', execute: async () => sleep(clock, 5), dependsOn: ['first'] });

    await settleOnClock(clock, sequence.build({}, { clock }));

    const progress = lines.slice(0, -2).map((line) => line.message);
    const at = (pattern: RegExp) => progress.findIndex((line) => pattern.test(line));
    expect(at(/first.*started/)).toBeGreaterThan(-1);
    expect(at(/first.*started/)).toBeLessThan(at(/first.*succeeded/));
    expect(at(/first.*succeeded/)).toBeLessThan(at(/second.*started/));
    expect(at(/second.*started/)).toBeLessThan(at(/second.*succeeded/));
  });

  it('writes to the console when verbose has no logger', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'info').mockImplementation(() => {});

    await new AdvancedSequenceBuilder({ verbose: true })
      .addLayer({ name: 'only', execute: async () => 1 })
      .build();

    const printed = log.mock.calls.map((call) => String(call[0])).join('\n');
    expect(printed).toContain('--- Execution Timeline ---');
    expect(printed).toContain('--- Sequence Execution Performance Metrics ---');
  });

  it('writes nothing to the console without verbose, whatever happens in the run', async () => {
    const spies = consoleMethods.map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    const clock = new VirtualClock(0);

    const run = await settleOnClock(clock, orderFlow(clock, {}).build({}, { clock }));
    const timedOut = await settleOnClock(
      clock,
      new AdvancedSequenceBuilder({ timeout: 5 })
        .addLayer({ name: 'stuck', execute: () => new Promise(() => {}) })
        .build({}, { clock }),
    );
    await new AdvancedSequenceBuilder()
      .addLayer({ name: 'broken', execute: async () => 1, args: ['x'] })
      .build();
    await new AdvancedSequenceBuilder().build().catch(() => undefined);

    expect(run.status).toBe('failed');
    expect(timedOut.status).toBe('failed');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
