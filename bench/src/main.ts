/**
 * `pnpm bench`: runs every scenario and prints one markdown table per suite,
 * then the targets, and writes the same text to `results/latest.md`.
 *
 *   --quick          fewer runs (1 warm-up, 3 runs)
 *   --verify         check dependency order and the concurrency limit of every runner instead of timing
 *   --only a,b       only these scenario ids (overhead, fan-out, makespan, large)
 *   --runners a,b    only these runners (names as in the table; the minimal scheduler always runs)
 *   --out <file>     also write the results there (e.g. results/engine.md)
 *   --candidate <file>  also run a candidate engine build (its dist/index.js) as `fusync (candidate)`,
 *                       to measure an engine change against the current one in the same process
 *   --one-process    run every selected scenario in this process (by default each runs in a fresh
 *                    Node process of its own: code one scenario made hot for its shapes does not slow
 *                    the next one's runners, each by a different amount)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fusyncRunner, type SequenceBuilderClass } from './fusync-runner.js';
import { canCollectGarbage } from './heap.js';
import { FULL_PLAN, QUICK_PLAN } from './measure.js';
import type { Runner } from './runner.js';
import { baseline, runners } from './runners.js';
import type { Scenario, ScenarioContext, Suite } from './scenario.js';
import { scenarios } from './scenarios/index.js';
import { renderTable, renderTargets, type Target } from './table.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    verify: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    candidate: { type: 'string' },
    runners: { type: 'string' },
    'one-process': { type: 'boolean', default: false },
    /** Internal: a child's report of its one scenario, as JSON, for the parent to print. */
    report: { type: 'string' },
  },
});

const selected: Scenario[] = values.only
  ? values.only.split(',').map((id) => {
      const scenario = scenarios.find((s) => s.id === id.trim());
      if (!scenario)
        throw new Error(
          `Unknown scenario \`${id}\`. Known: ${scenarios.map((s) => s.id).join(', ')}.`,
        );
      return scenario;
    })
  : [...scenarios];

if (!canCollectGarbage()) {
  process.stderr.write(
    'warning: run node with --expose-gc so every run starts after a full collection\n',
  );
}

const wanted = values.runners?.split(',').map((name) => name.trim());
for (const name of wanted ?? []) {
  if (!runners.some((r) => r.name === name))
    throw new Error(`Unknown runner \`${name}\`. Known: ${runners.map((r) => r.name).join(', ')}.`);
}
const compared: Runner[] = runners.filter(
  (r) => !wanted || wanted.includes(r.name) || r === baseline,
);
let candidateBuilder: SequenceBuilderClass | undefined;
if (values.candidate) {
  const candidate = (await import(pathToFileURL(resolve(values.candidate)).href)) as {
    AdvancedSequenceBuilder?: SequenceBuilderClass;
  };
  if (!candidate.AdvancedSequenceBuilder)
    throw new Error(`\`${values.candidate}\` does not export AdvancedSequenceBuilder.`);
  candidateBuilder = candidate.AdvancedSequenceBuilder;
  compared.splice(1, 0, fusyncRunner('fusync (candidate)', candidateBuilder));
}

const plan = values.quick ? QUICK_PLAN : FULL_PLAN;
const context: ScenarioContext = {
  plan,
  runners: compared,
  verify: values.verify,
  candidate: candidateBuilder,
  log: (line) => process.stderr.write(`${line}\n`),
};

type Report = Awaited<ReturnType<Scenario['run']>>;

/** Runs `scenario` in a fresh Node process with this one's flags, and reads back its report. */
async function runApart(scenario: Scenario): Promise<Report> {
  const directory = await mkdtemp(join(tmpdir(), 'fusync-bench-'));
  const file = join(directory, 'report.json');
  const args = process.argv
    .slice(2)
    .filter(
      (arg, at, all) => arg !== '--only' && all[at - 1] !== '--only' && !arg.startsWith('--only='),
    )
    .filter(
      (arg, at, all) => arg !== '--out' && all[at - 1] !== '--out' && !arg.startsWith('--out='),
    );
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...args,
      '--only',
      scenario.id,
      '--report',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((settle) => child.on('exit', settle));
  try {
    if (code !== 0) throw new Error(`Scenario \`${scenario.id}\` exited with ${code}.`);
    return JSON.parse(await readFile(file, 'utf8')) as Report;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (values.report) {
  // A child run for one scenario: hand its report to the parent, print nothing.
  const [scenario] = selected;
  if (!scenario || selected.length !== 1)
    throw new Error('`--report` takes exactly one `--only` scenario.');
  context.log(`${scenario.id}: ${scenario.title}`);
  await writeFile(values.report, JSON.stringify(await scenario.run(context)));
  process.exit(0);
}

const apart = !values['one-process'] && selected.length > 1;
const started = new Date();
const bySuite = new Map<Suite, { rows: Record<string, string>[]; notes: string[] }>();
const targets: Target[] = [];
for (const scenario of selected) {
  if (!apart) context.log(`${scenario.id}: ${scenario.title}`);
  const report = apart ? await runApart(scenario) : await scenario.run(context);
  const entry = bySuite.get(scenario.suite) ?? { rows: [], notes: [] };
  entry.rows.push(...report.rows);
  entry.notes.push(...report.notes);
  bySuite.set(scenario.suite, entry);
  targets.push(...report.targets);
}

const cpu = cpus();
const header = [
  values.verify ? '## Fusync benchmarks: correctness check' : '## Fusync benchmarks',
  '',
  `Node ${process.version} · ${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}) · ${process.platform}/${process.arch} · load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
  `${started.toISOString()} · ${
    values.verify
      ? 'one checked run per runner'
      : `median of ${plan.runs} runs after ${plan.warmups} warm-up${plan.warmups === 1 ? '' : 's'} per runner, interleaved in one process${apart ? ' per scenario' : ''}, full GC before each run; a runner slower than ${plan.slowRunMs / 1000} s a run counts its warm-up and stops after ${plan.budgetMs / 1000} s once it has ${plan.minRuns} run${plan.minRuns === 1 ? '' : 's'} (\`runs\`)`
  }`,
];
const sections = [header.join('\n')];
for (const [suite, { rows, notes }] of bySuite) {
  sections.push(
    renderTable({
      title: suite.title,
      columns: values.verify ? suite.verifyColumns : suite.columns,
      rows,
      notes,
    }),
  );
}
if (targets.length > 0) sections.push(renderTargets(targets));
const text = `${sections.join('\n\n')}\n`;

process.stdout.write(`\n${text}`);
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
await writeFile(join(resultsDir, 'latest.md'), text);
if (values.out) await writeFile(values.out, text);

const failedChecks = [...bySuite.values()].some(({ rows }) =>
  rows.some((row) => row.check?.startsWith('FAILED')),
);
if (failedChecks) process.exitCode = 1;
