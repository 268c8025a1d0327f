import { type BundleWeight, weighProgram } from '../bundle-weight.js';
import type { Scenario, Suite } from '../scenario.js';
import type { Target } from '../table.js';

export const bundleSuite: Suite = {
  id: 'bundle',
  title:
    'Browser weight: what a page ships to build and run a sequence (ESM for the browser, tree-shaken, minified, gzip -9). First load: Rollup with code splitting (the bundler inside Vite, which adds its own 0.7 KB module-preload helper), before the page runs anything; on demand: the chunks loaded at first use; one file: esbuild with no splitting',
  columns: [
    'program',
    'first load KB gz',
    'first load KB min',
    'on demand KB gz',
    'one file KB gz',
  ],
  verifyColumns: ['program', 'check'],
};

/** Each program the page runs: the smallest use of the library, as an application writes it. */
export const PROGRAMS: readonly { name: string; source: string; split?: boolean }[] = [
  {
    name: 'fusync: builder + build()',
    source: `import { AdvancedSequenceBuilder } from 'fusync';
new AdvancedSequenceBuilder({ concurrency: 2 })
  .addLayer({ name: 'a', execute: async () => 1 })
  .addLayer({ name: 'b', execute: async (a) => a + 1, dependsOn: ['a'] })
  .build()
  .then((run) => console.log(run.status, run.results));`,
  },
  {
    name: 'fusync: fromJSON + build()',
    source: `import { AdvancedSequenceBuilder } from 'fusync';
const json = { format: 'fusync.sequence', version: 1, layers: [{ name: 'a', operation: 'one' }, { name: 'b', operation: 'next', dependsOn: ['a'] }] };
AdvancedSequenceBuilder.fromJSON(json, { operations: { one: async () => 1, next: async (a) => a + 1 } })
  .build()
  .then((run) => console.log(run.status, run.results));`,
  },
  {
    name: 'p-graph',
    source: `import { PGraph } from 'p-graph';
const nodes = new Map([['a', { run: async () => 1 }], ['b', { run: async () => 2 }]]);
new PGraph(nodes, [['a', 'b']]).run({ concurrency: 2 }).then(() => console.log('done'));`,
    split: false,
  },
  {
    name: 'async.auto (`async/auto`)',
    source: `import auto from 'async/auto';
auto({ a: async () => 1, b: ['a', async (results) => results.a + 1] }, 2).then((results) => console.log(results));`,
    split: false,
  },
];

/** The targets the engine's layering issue set: builder + build() and the JSON path. */
export const LIMIT_KB: Readonly<Record<string, number>> = {
  'fusync: builder + build()': 15,
  'fusync: fromJSON + build()': 30,
};

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** The bytes each program ships, fusync beside its in-process peers. */
export const browserBundle: Scenario = {
  id: 'bundle',
  suite: bundleSuite,
  title: 'browser bundles of fusync, p-graph and async.auto',
  async run(context) {
    const rows: Record<string, string>[] = [];
    const targets: Target[] = [];
    const sizes = new Map<string, BundleWeight>();
    for (const program of PROGRAMS) {
      context.log(`  ${program.name}`);
      const size = await weighProgram(program.source, import.meta.dirname, program);
      sizes.set(program.name, size);
      const onDemand = Object.entries(size.onDemand);
      rows.push(
        context.verify
          ? { program: program.name, check: 'ok' }
          : {
              program: program.name,
              'first load KB gz': kb(size.firstLoad.gzipped),
              'first load KB min': kb(size.firstLoad.minified),
              'on demand KB gz':
                onDemand.length === 0
                  ? '—'
                  : onDemand
                      .map(
                        ([chunk, weight]) => `${chunk.replace(/-\w+$/, '')} ${kb(weight.gzipped)}`,
                      )
                      .join(', '),
              'one file KB gz': kb(size.oneFile.gzipped),
            },
      );
    }
    const peer = sizes.get('p-graph')?.firstLoad.gzipped;
    for (const [name, limit] of Object.entries(LIMIT_KB)) {
      const size = sizes.get(name)?.firstLoad;
      if (!size) continue;
      targets.push({
        goal: `bundle: ${name}, first load ≤ ${limit} KB gzipped`,
        measured: `${kb(size.gzipped)} KB${peer ? ` (${(size.gzipped / peer).toFixed(1)}× p-graph's ${kb(peer)} KB)` : ''}`,
        pass: size.gzipped <= limit * 1024,
      });
    }
    return { rows, notes: [], targets: context.verify ? [] : targets };
  },
};
