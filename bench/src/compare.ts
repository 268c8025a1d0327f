import type { Dag } from './dag.js';
import type { HeapProbe } from './heap.js';
import { type Contender, interleave, type Measured, median } from './measure.js';
import type { Runner, Work } from './runner.js';
import { baseline } from './runners.js';
import type { ScenarioContext, Suite } from './scenario.js';
import { formatMb, formatMs, formatRatio } from './table.js';
import { verifyRunner } from './verify.js';

export const engineSuite: Suite = {
  id: 'engine',
  title: 'Engine: in-process runners on the same seeded graphs',
  columns: [
    'scenario',
    'runner',
    'median ms',
    'ratio vs minimal',
    'ratio vs lower bound',
    'heap MB',
    'runs',
  ],
  verifyColumns: [
    'scenario',
    'runner',
    'layers',
    'concurrency limit',
    'most running at once',
    'check',
  ],
};

/** A graph, a limit and the work of its layers: what every runner of the engine suite is given. */
export interface Workload {
  /** The scenario's label in the table. */
  readonly label: string;
  readonly dag: Dag;
  readonly concurrency: number;
  /**
   * The work of one run of `runner`; `probe` is set when heap is measured,
   * for sampling from inside layers.
   */
  work(probe: HeapProbe | undefined, runner: string): Work;
  readonly heap?: boolean;
  /** A peer whose first run takes longer is reported as skipped (the engine and the floor never are). */
  readonly firstRunLimitMs?: number;
  /** For a makespan scenario: the bound every runner's median is divided by. */
  readonly lowerBound?: number;
}

/** Figures of one runner in one scenario. */
export interface RunnerFigures {
  readonly name: string;
  readonly medianMs: number;
  readonly ratioVsMinimal: number;
  readonly heapMb: number;
  readonly runs: number;
  readonly skip: string | undefined;
}

export interface Comparison {
  readonly rows: Record<string, string>[];
  readonly figures: ReadonlyMap<string, RunnerFigures>;
}

function skipReason(runner: Runner, dag: Dag): string | undefined {
  if (runner.limit && dag.size > runner.limit.maxLayers) return `skipped (${runner.limit.reason})`;
  return undefined;
}

/** Times every runner on the workload, interleaved, or in `--verify` mode checks each once. */
export async function compareRunners(
  workload: Workload,
  context: ScenarioContext,
): Promise<Comparison> {
  return context.verify ? verifyAll(workload, context) : timeAll(workload, context);
}

async function timeAll(workload: Workload, context: ScenarioContext): Promise<Comparison> {
  const { dag, concurrency } = workload;
  const contenders: Contender[] = context.runners.map((runner) => ({
    name: runner.name,
    skip: skipReason(runner, dag),
    firstRunLimitMs: runner.peer ? workload.firstRunLimitMs : undefined,
    run: (probe) => runner.run(dag, workload.work(probe, runner.name), concurrency),
  }));
  const measured = await interleave(contenders, {
    plan: context.plan,
    heap: workload.heap ?? false,
    onProgress: (line) => context.log(`  ${workload.label}: ${line}`),
  });
  const floor = median((measured.find((m) => m.name === baseline.name) as Measured).times);
  const figures = new Map<string, RunnerFigures>();
  const rows = measured.map((m) => {
    const medianMs = median(m.times);
    const heapMb = median(m.heapsMb);
    figures.set(m.name, {
      name: m.name,
      medianMs,
      ratioVsMinimal: medianMs / floor,
      heapMb,
      runs: m.times.length,
      skip: m.skip,
    });
    const row: Record<string, string> = { scenario: workload.label, runner: m.name };
    if (m.skip !== undefined && m.times.length === 0) {
      row['median ms'] = m.skip.startsWith('skipped') ? m.skip : `skipped (${m.skip})`;
      return row;
    }
    row['median ms'] = formatMs(medianMs);
    row['ratio vs minimal'] = formatRatio(medianMs / floor);
    if (workload.lowerBound !== undefined)
      row['ratio vs lower bound'] = formatRatio(medianMs / workload.lowerBound);
    if (workload.heap) row['heap MB'] = formatMb(heapMb);
    row.runs = String(m.times.length);
    return row;
  });
  return { rows, figures };
}

async function verifyAll(workload: Workload, context: ScenarioContext): Promise<Comparison> {
  const rows: Record<string, string>[] = [];
  for (const runner of context.runners) {
    const row: Record<string, string> = {
      scenario: workload.label,
      runner: runner.name,
      layers: String(workload.dag.size),
    };
    row['concurrency limit'] = String(workload.concurrency);
    const skip = skipReason(runner, workload.dag);
    if (skip !== undefined) {
      row.check = skip;
      rows.push(row);
      continue;
    }
    context.log(`  ${workload.label}: checking ${runner.name}`);
    const report = await verifyRunner(
      runner,
      workload.dag,
      workload.concurrency,
      workload.work(undefined, runner.name),
    );
    row['most running at once'] = String(report.maxActive);
    row.check = report.violations.length === 0 ? 'ok' : `FAILED: ${report.violations.join('; ')}`;
    rows.push(row);
  }
  return { rows, figures: new Map() };
}

/** A layer that does nothing, asynchronously. */
export const noop: Work = async () => {};
