import { describe, expect, it } from 'vitest';
import { weighProgram } from '../src/bundle-weight.js';
import { LIMIT_KB, PROGRAMS } from '../src/scenarios/browser-bundle.js';

const scenarioDir = new URL('../src/scenarios/', import.meta.url).pathname;

// The weight a page pays before it runs anything, held where it is so it cannot creep back
// (`pnpm bench --only bundle` prints it beside p-graph and async.auto). Weighs the built `fusync`.
describe.each(PROGRAMS.filter((program) => program.name in LIMIT_KB))('$name', (program) => {
  it('stays within its first-load budget, with spans, verbose printing, reruns and backends on demand', async () => {
    const weight = await weighProgram(program.source, scenarioDir);
    const chunks = Object.keys(weight.onDemand).map((chunk) => chunk.replace(/-\w+$/, ''));
    expect(chunks.sort()).toEqual(['remote', 'report', 'rerun', 'telemetry']);
    expect(weight.firstLoad.gzipped).toBeLessThanOrEqual((LIMIT_KB[program.name] as number) * 1024);
    // Everything loaded eagerly weighs more: the split is what keeps the first load down.
    expect(weight.oneFile.gzipped).toBeGreaterThan(weight.firstLoad.gzipped);
  });
});
