import { AdvancedSequenceBuilder, type LayerContext } from 'fusync';
import type { SequenceBuilderClass } from '../fusync-runner.js';
import { type Contender, interleave, median } from '../measure.js';
import type { Scenario, Suite } from '../scenario.js';
import { formatMs, formatRatio, type Target } from '../table.js';

const SIZES = [10_000, 40_000] as const;
const BY_HAND = 'by hand, no engine';

export const wideListeningSuite: Suite = {
  id: 'wide-listening',
  title:
    'Wide runs whose layers listen: independent layers, no concurrency limit, each adding an abort listener to its signal and awaiting a timer, beside the same graph of no-op layers',
  columns: ['layers', 'runner', 'median ms', 'vs no-op', 'warnings', 'runs'],
  verifyColumns: ['layers', 'runner', 'check'],
};

/** One listening layer's own work: wait a timer, give up when `signal` aborts. */
function listen(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 1);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/**
 * The listening layers' own work with no engine: a signal per layer (what the
 * engine hands each attempt), its listener and its timer, all awaited. What
 * no runner can go below.
 */
async function byHand(layers: number): Promise<void> {
  const waits: Promise<void>[] = [];
  for (let i = 0; i < layers; i++) waits.push(listen(new AbortController().signal));
  await Promise.all(waits);
}

function wide(
  layers: number,
  listening: boolean,
  Builder: SequenceBuilderClass = AdvancedSequenceBuilder,
): AdvancedSequenceBuilder {
  const builder = new Builder();
  for (let i = 0; i < layers; i++) {
    builder.addLayer({
      name: `l${i}`,
      execute: listening ? ({ signal }: LayerContext) => listen(signal) : async () => undefined,
    });
  }
  return builder;
}

/** Listening layers must cost about what idle ones do, and grow linearly with their number. */
export const wideListening: Scenario = {
  id: 'wide-listening',
  suite: wideListeningSuite,
  title: `${SIZES.join(' / ')} independent layers listening to their signal`,
  async run(context) {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    const rows: Record<string, string>[] = [];
    const targets: Target[] = [];
    const listeningMs = new Map<number, number>();
    try {
      for (const layers of SIZES) {
        context.log(`  ${layers} layers`);
        const builders: Record<string, AdvancedSequenceBuilder> = {
          listening: wide(layers, true),
          'no-op': wide(layers, false),
        };
        if (context.candidate) {
          builders['listening (candidate)'] = wide(layers, true, context.candidate);
          builders['no-op (candidate)'] = wide(layers, false, context.candidate);
        }
        if (context.verify) {
          for (const [runner, builder] of Object.entries(builders)) {
            const run = await builder.build();
            rows.push({
              layers: String(layers),
              runner,
              check: run.status === 'succeeded' ? 'ok' : 'FAILED',
            });
          }
          continue;
        }
        const before = warnings.length;
        const measured = await interleave(
          [
            ...Object.entries(builders).map(
              ([name, builder]): Contender => ({
                name,
                run: async () => void (await builder.build()),
              }),
            ),
            { name: BY_HAND, run: () => byHand(layers) },
          ],
          { plan: context.plan, onProgress: context.log },
        );
        const ms = (name: string) => median(measured.find((m) => m.name === name)?.times ?? []);
        listeningMs.set(layers, ms('listening'));
        for (const m of measured) {
          rows.push({
            layers: layers.toLocaleString('en'),
            runner: m.name,
            'median ms': formatMs(ms(m.name)),
            'vs no-op': formatRatio(
              ms(m.name) / ms(m.name.endsWith('(candidate)') ? 'no-op (candidate)' : 'no-op'),
            ),
            warnings: String(warnings.length - before),
            runs: String(m.times.length),
          });
        }
        if (layers === SIZES.at(-1)) {
          const ratio = ms('listening') / ms('no-op');
          targets.push({
            goal: `wide-listening ${layers.toLocaleString('en')}: ≤ 2× the no-op run of the same graph`,
            measured: `${formatRatio(ratio)} (${formatMs(ms('listening'))} ms vs ${formatMs(ms('no-op'))} ms; the layers' own work by hand: ${formatMs(ms(BY_HAND))} ms)`,
            pass: Number.isFinite(ratio) ? ratio <= 2 : undefined,
          });
          // What the engine adds to listening layers, their own work taken out, against its whole no-op run.
          const added = (ms('listening') - ms(BY_HAND)) / ms('no-op');
          targets.push({
            goal: `wide-listening ${layers.toLocaleString('en')}: what fusync adds to listening layers (listening − ${BY_HAND}) ≤ 2× its no-op run`,
            measured: `${formatRatio(added)} (${formatMs(ms('listening') - ms(BY_HAND))} ms vs ${formatMs(ms('no-op'))} ms)`,
            pass: Number.isFinite(added) ? added <= 2 : undefined,
          });
        }
      }
    } finally {
      process.off('warning', onWarning);
    }
    const [small, large] = SIZES;
    const growth = (listeningMs.get(large) ?? Number.NaN) / (listeningMs.get(small) ?? Number.NaN);
    if (!context.verify) {
      targets.push({
        goal: `wide-listening: time grows linearly from ${small.toLocaleString('en')} to ${large.toLocaleString('en')} layers (≤ ${((large / small) * 1.5).toFixed(0)}× for ${large / small}× the layers)`,
        measured: formatRatio(growth),
        pass: Number.isFinite(growth) ? growth <= (large / small) * 1.5 : undefined,
      });
      targets.push({
        goal: 'wide-listening: no warning printed',
        measured: `${warnings.length} warnings`,
        pass: warnings.length === 0,
      });
    }
    return { rows, notes: [], targets };
  },
};
