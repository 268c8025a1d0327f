import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Scenario, Suite } from '../scenario.js';
import type { Target } from '../table.js';

export const bundleSuite: Suite = {
  id: 'bundle',
  title:
    'Browser weight: what a page ships to build and run a sequence (esbuild, browser, ESM, minified, tree-shaken, one bundle)',
  columns: ['program', 'minified KB', 'gzipped KB'],
  verifyColumns: ['program', 'check'],
};

/** Each program the page runs: the smallest use of the library, as an application writes it. */
const PROGRAMS: readonly { name: string; source: string }[] = [
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
  },
  {
    name: 'async.auto (`async/auto`)',
    source: `import auto from 'async/auto';
auto({ a: async () => 1, b: ['a', async (results) => results.a + 1] }, 2).then((results) => console.log(results));`,
  },
];

/** The targets the engine's layering issue set: builder + build() and the JSON path. */
const LIMIT_KB: Readonly<Record<string, number>> = {
  'fusync: builder + build()': 15,
  'fusync: fromJSON + build()': 30,
};

async function weigh(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    treeShaking: true,
    write: false,
    logLevel: 'silent',
  });
  const code = (result.outputFiles[0] as { contents: Uint8Array }).contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** The bytes each program ships, fusync beside its in-process peers. */
export const browserBundle: Scenario = {
  id: 'bundle',
  suite: bundleSuite,
  title: 'browser bundles of fusync, p-graph and async.auto',
  async run(context) {
    const rows: Record<string, string>[] = [];
    const targets: Target[] = [];
    const sizes = new Map<string, { minified: number; gzipped: number }>();
    for (const program of PROGRAMS) {
      context.log(`  ${program.name}`);
      const size = await weigh(program.source);
      sizes.set(program.name, size);
      rows.push(
        context.verify
          ? { program: program.name, check: 'ok' }
          : {
              program: program.name,
              'minified KB': kb(size.minified),
              'gzipped KB': kb(size.gzipped),
            },
      );
    }
    const peer = sizes.get('p-graph')?.gzipped;
    for (const [name, limit] of Object.entries(LIMIT_KB)) {
      const size = sizes.get(name);
      if (!size) continue;
      targets.push({
        goal: `bundle: ${name} ≤ ${limit} KB gzipped`,
        measured: `${kb(size.gzipped)} KB${peer ? ` (${(size.gzipped / peer).toFixed(1)}× p-graph's ${kb(peer)} KB)` : ''}`,
        pass: size.gzipped <= limit * 1024,
      });
    }
    return { rows, notes: [], targets: context.verify ? [] : targets };
  },
};
