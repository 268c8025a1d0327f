/**
 * Summarises a `.cpuprofile` written by `node --cpu-prof`: self time by
 * function and by file, top entries first.
 *
 *   node --import tsx src/profile-summary.ts <file.cpuprofile> [--top 25]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const file = positionals[0];
if (!file) throw new Error('Pass the .cpuprofile file to summarise.');
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url: string): string =>
  url
    .replace(/^file:\/\/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^file:\/\/.*?\/(packages|bench)\//, '$1/');
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '(native)';
  const key = `${functionName || '(anonymous)'}  ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const fileKey = url ? shortUrl(url) : functionName;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
}

const print = (title: string, entries: Map<string, number>): void => {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
};
print('Self time by function', byFunction);
print('Self time by file', byFile);
