/**
 * Every entry of the package's `exports` map resolves to a built file, and the
 * Node-only entry stays out of the browser conditions. Needs `pnpm build`
 * first (the root `pnpm test` builds before testing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  sideEffects: boolean;
};

function targets(entry: string | Record<string, string>): string[] {
  return typeof entry === 'string' ? [entry] : Object.values(entry);
}

describe('package exports', () => {
  it.each(Object.entries(manifest.exports))('resolves %s to files that exist', (_name, entry) => {
    for (const target of targets(entry)) {
      expect(existsSync(`${root}${target}`), `${target} (run \`pnpm build\` first)`).toBe(true);
    }
  });

  it('offers fusync/redis to Node only, and declares no side effects', () => {
    const redis = manifest.exports['./redis'];
    expect(typeof redis === 'object' && Object.keys(redis)).toEqual(['types', 'node']);
    expect(manifest.sideEffects).toBe(false);
  });
});
