import { FusyncError } from './errors.js';

/** The part of Node's `fs` the engine uses for `save`/`load`. */
interface FileSystem {
  readFileSync(path: string, encoding: 'utf8'): string;
  promises: { writeFile(path: string, data: string, encoding: 'utf8'): Promise<void> };
}

/**
 * Node's `fs`, reached through `process.getBuiltinModule` so that no bundler
 * sees an import of it: the main entry stays browser-safe.
 */
function nodeFileSystem(operation: string): FileSystem {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  const fs = processLike?.getBuiltinModule?.('node:fs') as FileSystem | undefined;
  if (!fs) {
    throw new FusyncError(
      'UNSUPPORTED_ENVIRONMENT',
      `\`${operation}\` needs Node.js ≥ 20.16 (file system access). In the browser use \`toJSON()\` and \`AdvancedSequenceBuilder.fromJSON()\`.`,
    );
  }
  return fs;
}

/** Writes text to a file (Node only). */
export async function writeTextFile(path: string, text: string): Promise<void> {
  await nodeFileSystem('save(filename)').promises.writeFile(path, text, 'utf8');
}

/** Reads a text file synchronously (Node only). */
export function readTextFileSync(path: string): string {
  return nodeFileSystem('load(filename)').readFileSync(path, 'utf8');
}
