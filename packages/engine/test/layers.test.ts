/**
 * The engine's folders only point down: `core/` imports nothing of the
 * engine above it, `render/` imports only `core/`, and only the builder and
 * the entries sit above both. The Node-only `redis/` is reached only
 * through its own entry (`fusync/redis`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

/** Relative module specifiers a source text imports or re-exports, type-only ones included. */
function relativeImports(source: string): string[] {
  const pattern = /\b(?:import|export)\s(?:[^'"`;]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;
  const dynamic = /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  return [...source.matchAll(pattern), ...source.matchAll(dynamic)].map(
    (match) => match[1] as string,
  );
}

/** Each source file (tests and fixtures aside) with the folders of `src` it imports from. */
async function importsByFile(): Promise<{ file: string; targets: string[] }[]> {
  const entries = await readdir(src, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name))
    .filter((entry) => !/\.(test|fixture)\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(
    files.map(async (file) => ({
      file: relative(src, file),
      targets: relativeImports(await readFile(file, 'utf8')).map((specifier) =>
        relative(src, resolve(dirname(file), specifier)),
      ),
    })),
  );
}

/** The layer a path of `src` belongs to: its first folder, or `top` for files at the root. */
function layerOf(path: string): string {
  return path.includes('/') ? (path.split('/')[0] as string) : 'top';
}

/** What each layer may import. */
const allowed: Record<string, readonly string[]> = {
  core: ['core'],
  render: ['core', 'render'],
  redis: ['core', 'redis'],
  top: ['core', 'render', 'top'],
};

describe('engine layers', () => {
  it('reads the imports it checks, type-only and re-exports included', () => {
    expect(
      relativeImports(
        [
          "import { a } from './a.js';",
          "import type { B } from '../render/b.js';",
          "export { c } from './c.js';",
          "export * from '../core/d.js';",
          "const e = await import('./e.js');",
          "import { f } from 'fusync';",
        ].join('\n'),
      ),
    ).toEqual(['./a.js', '../render/b.js', './c.js', '../core/d.js', './e.js']);
  });

  it('imports only downward: core from core, render from core, the builder from both', async () => {
    const files = await importsByFile();
    const upward = files.flatMap(({ file, targets }) =>
      targets
        .filter((target) => !(allowed[layerOf(file)] ?? []).includes(layerOf(target)))
        .map((target) => `${file} imports ${target}`),
    );
    expect(files.filter(({ file }) => layerOf(file) === 'core').length).toBeGreaterThan(15);
    expect(upward).toEqual([]);
  });

  it('never names the Redis entry inside core or render', async () => {
    const files = await importsByFile();
    const naming: string[] = [];
    for (const { file } of files) {
      if (!['core', 'render'].includes(layerOf(file))) continue;
      const source = await readFile(join(src, file), 'utf8');
      if (/['"]fusync\/redis['"]/.test(source)) naming.push(file);
    }
    expect(naming).toEqual([]);
  });
});
