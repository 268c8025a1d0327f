import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { parseSequenceText, type SequenceJson } from 'fusync';
import { ApiError } from '../http/api-error.js';
import { assertSequenceName, SEQUENCE_NAME_PATTERN } from './sequence-name.js';
import { type SequenceStore, type SequenceSummary, summarize } from './sequence-store.js';

const SUFFIX = '.json';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Sequences as `<name>.json` files in one directory, in the format `save()`
 * writes. Writes go to a temporary file first and are renamed into place, so
 * a crash never leaves half a sequence.
 */
export class DiskSequenceStore implements SequenceStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  /** The file of `name`; the name rule already excludes separators, the prefix check is a second lock. */
  #fileOf(name: string): string {
    assertSequenceName(name);
    const file = join(this.directory, `${name}${SUFFIX}`);
    if (!file.startsWith(this.directory + sep))
      throw new ApiError('INVALID_NAME', `\`${name}\` is not a valid sequence name.`, {
        path: 'name',
      });
    return file;
  }

  async list(): Promise<SequenceSummary[]> {
    let entries: string[];
    try {
      entries = await readdir(this.directory);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const names = entries
      .filter((entry) => entry.endsWith(SUFFIX))
      .map((entry) => entry.slice(0, -SUFFIX.length))
      .filter((name) => SEQUENCE_NAME_PATTERN.test(name))
      .sort((a, b) => a.localeCompare(b));
    const summaries: SequenceSummary[] = [];
    for (const name of names) {
      const file = this.#fileOf(name);
      try {
        const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
        try {
          summaries.push(summarize(name, parseSequenceText(text), info.mtimeMs));
        } catch (error) {
          summaries.push({
            name,
            layerCount: 0,
            updatedAt: info.mtimeMs,
            error: (error as Error).message,
          });
        }
      } catch (error) {
        // Deleted between readdir and read: not part of the list any more.
        if (!isMissing(error)) throw error;
      }
    }
    return summaries;
  }

  async get(name: string): Promise<SequenceJson | undefined> {
    const file = this.#fileOf(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      return parseSequenceText(text);
    } catch (error) {
      throw new ApiError(
        'INTERNAL',
        `The stored sequence \`${name}\` (${file}) cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async put(name: string, sequence: SequenceJson): Promise<{ created: boolean }> {
    const file = this.#fileOf(name);
    await mkdir(this.directory, { recursive: true });
    const created = await stat(file).then(
      () => false,
      (error: unknown) => {
        if (isMissing(error)) return true;
        throw error;
      },
    );
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(sequence, null, 2)}\n`, {
        encoding: 'utf8',
        flag: 'wx',
      });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { created };
  }

  async delete(name: string): Promise<boolean> {
    const file = this.#fileOf(name);
    try {
      await rm(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}
