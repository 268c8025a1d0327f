import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Modules the isomorphic entry must never reach. */
const nodeOnly = /^(?:node:.*|bullmq|ioredis)(?:\/.*)?$/;

/** Every module specifier a source text imports, re-exports or requires with a literal name. */
function specifiersOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*(?:\/\*[^*]*\*\/\s*)?['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((pattern) =>
    [...source.matchAll(pattern)].map((match) => match[1] as string),
  );
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('browser bundle', () => {
  it('finds the imports it scans for', () => {
    const sample = [
      "import { readFile } from 'node:fs/promises';",
      'import type { Queue } from "bullmq";',
      "export { Redis } from 'ioredis';",
      "import 'node:process';",
      "const m = await import(/* @vite-ignore */ 'node:path');",
      "const r = require('bullmq/dist/esm');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(
      specifiersOf(sample)
        .filter((specifier) => nodeOnly.test(specifier))
        .sort(),
    ).toEqual([
      'bullmq',
      'bullmq/dist/esm',
      'ioredis',
      'node:fs/promises',
      'node:path',
      'node:process',
    ]);
  });

  it('keeps src/core and src/render free of Node built-ins, BullMQ and ioredis', async () => {
    const offending: string[] = [];
    const files = [
      ...(await sourceFiles(join(packageRoot, 'src/core'))),
      ...(await sourceFiles(join(packageRoot, 'src/render'))),
    ];
    for (const file of files) {
      for (const specifier of specifiersOf(await readFile(file, 'utf8'))) {
        if (nodeOnly.test(specifier))
          offending.push(`${relative(packageRoot, file)} imports ${specifier}`);
      }
    }
    expect(files.length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });

  it('bundles the main entry for the browser with no externals', async () => {
    const result = await build({
      entryPoints: [join(packageRoot, 'src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });

    expect(result.errors).toEqual([]);
    const output = result.outputFiles.map((file) => file.text).join('\n');
    expect(output.length).toBeGreaterThan(1000);
    expect(output).toContain('AdvancedSequenceBuilder');
    expect(output).not.toMatch(/require\(\s*["']node:/);
    expect(specifiersOf(output).filter((specifier) => nodeOnly.test(specifier))).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((input) => /node_modules\/(?:\.pnpm\/)?(?:bullmq|ioredis)/.test(input)),
    ).toEqual([]);
    expect(inputs.filter((input) => input.includes('src/redis/'))).toEqual([]);
  });

  // The weight itself — first load within 15 KB gzipped — is held by the bench's browser-bundle test.
  it('has no schema library in builder + build(), and reaches the parts it loads on demand only by dynamic import', async () => {
    const result = await build({
      stdin: {
        contents: [
          "import { AdvancedSequenceBuilder } from './src/index.ts';",
          "new AdvancedSequenceBuilder().addLayer({ name: 'a', execute: async () => 1 }).build()",
          '  .then((run) => console.log(run.status));',
        ].join('\n'),
        resolveDir: packageRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = result.metafile.inputs;
    expect(
      Object.keys(inputs).filter((input) => /node_modules\/(?:\.pnpm\/)?zod/.test(input)),
    ).toEqual([]);

    // What the builder reaches by static imports: all a page loads before it runs anything.
    const eager = new Set<string>();
    const visit = (input: string): void => {
      if (eager.has(input)) return;
      eager.add(input);
      for (const edge of inputs[input]?.imports ?? [])
        if (edge.kind === 'import-statement') visit(edge.path);
    };
    visit('src/sequence-builder.ts');
    expect(eager.has('src/core/scheduler.ts')).toBe(true);
    const onDemand = [
      'src/core/telemetry.ts',
      'src/report.ts',
      'src/core/verbose.ts',
      'src/render/timeline.ts',
      'src/render/metrics.ts',
      'src/core/rerun.ts',
      'src/remote.ts',
    ];
    for (const input of onDemand) expect(Object.keys(inputs)).toContain(input);
    expect([...eager].filter((input) => onDemand.includes(input))).toEqual([]);
    expect([...eager].filter((input) => input.includes('@opentelemetry'))).toEqual([]);
  });
});
