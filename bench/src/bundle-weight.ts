import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';

/** Bytes of code, minified and gzipped (level 9). */
export interface Weight {
  minified: number;
  gzipped: number;
}

/** What a page ships for one program. */
export interface BundleWeight {
  /**
   * Code-split (Rollup, the bundler inside Vite): what the page loads before it runs
   * anything. A program without dynamic imports: its one file.
   */
  firstLoad: Weight;
  /** The chunks it loads on demand (a dynamic import each), by name. */
  onDemand: Readonly<Record<string, Weight>>;
  /** One file (esbuild, no splitting): every dynamic import inlined. */
  oneFile: Weight;
}

const weight = (code: string | Uint8Array): Weight => ({
  minified: typeof code === 'string' ? Buffer.byteLength(code) : code.length,
  gzipped: gzipSync(code, { level: 9 }).length,
});

const minify = async (code: string): Promise<string> =>
  (await transform(code, { minify: true, format: 'esm', target: 'es2022' })).code;

/** The program as one minified, tree-shaken esbuild bundle for the browser. */
async function oneFile(source: string, resolveDir: string): Promise<Weight> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    treeShaking: true,
    write: false,
    logLevel: 'silent',
  });
  return weight((result.outputFiles[0] as { contents: Uint8Array }).contents);
}

/**
 * The program bundled by Rollup with code splitting, each chunk minified by
 * esbuild: the entry chunk and those it imports statically are the first
 * load; dynamically imported chunks are listed apart. Packages resolve for
 * the browser, from `resolveDir`.
 */
async function codeSplit(
  source: string,
  resolveDir: string,
): Promise<{ firstLoad: Weight; onDemand: Record<string, Weight> }> {
  const program = join(resolveDir, '(program).js');
  const bundle = await rollup({
    input: program,
    onwarn: () => {},
    plugins: [
      {
        name: 'program',
        resolveId: (id) => (id === program ? id : null),
        load: (id) => (id === program ? source : null),
      },
      nodeResolve({ browser: true, rootDir: resolveDir }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const chunks = new Map(
    output.flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])),
  );
  const first = new Set<string>();
  const visit = (name: string): void => {
    if (first.has(name)) return;
    first.add(name);
    for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
  const minified = new Map<string, string>();
  for (const [name, chunk] of chunks) minified.set(name, await minify(chunk.code));
  const onDemand: Record<string, Weight> = {};
  for (const [name, code] of minified)
    if (!first.has(name)) onDemand[name.replace(/-[\w-]{8}\.js$/, '')] = weight(code);
  return {
    firstLoad: weight([...first].map((name) => minified.get(name)).join('\n')),
    onDemand,
  };
}

/**
 * What a page ships to run `source` (an ES module importing packages by
 * name, resolved from `resolveDir`). `split: false` for a library with no
 * dynamic import (CommonJS ones among them): its first load is its one file.
 */
export async function weighProgram(
  source: string,
  resolveDir: string,
  { split = true }: { split?: boolean } = {},
): Promise<BundleWeight> {
  const whole = await oneFile(source, resolveDir);
  if (!split) return { firstLoad: whole, onDemand: {}, oneFile: whole };
  return { ...(await codeSplit(source, resolveDir)), oneFile: whole };
}
