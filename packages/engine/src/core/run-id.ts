/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Run ids drawn per call of the random source: one call per 4,096 ids, not per 128 as `randomUUID` does. */
const POOL_IDS = 4096;
let pool: Uint8Array | undefined;
let next = POOL_IDS;

/** The two hex digits of pool byte `at`. */
function hex(bytes: Uint8Array, at: number): string {
  return HEX[bytes[at] as number] as string;
}

/** A random version 4 UUID from the pool, refilled from `source` when spent. */
function pooledUuid(source: Required<RandomSource>): string {
  if (pool === undefined || next === POOL_IDS) {
    pool ??= new Uint8Array(16 * POOL_IDS);
    source.getRandomValues(pool);
    next = 0;
  }
  const bytes = pool;
  const at = 16 * next++;
  // Version 4 in the high nibble of byte 6, the RFC 4122 variant in the top bits of byte 8.
  const version = HEX[((bytes[at + 6] as number) & 0x0f) | 0x40] as string;
  const variant = HEX[((bytes[at + 8] as number) & 0x3f) | 0x80] as string;
  return `${hex(bytes, at)}${hex(bytes, at + 1)}${hex(bytes, at + 2)}${hex(bytes, at + 3)}-${hex(bytes, at + 4)}${hex(bytes, at + 5)}-${version}${hex(bytes, at + 7)}-${variant}${hex(bytes, at + 9)}-${hex(bytes, at + 10)}${hex(bytes, at + 11)}${hex(bytes, at + 12)}${hex(bytes, at + 13)}${hex(bytes, at + 14)}${hex(bytes, at + 15)}`;
}

interface RandomSource {
  randomUUID?: () => string;
  getRandomValues?: (array: Uint8Array) => unknown;
}

/** A random run id: a UUID where `crypto.randomUUID` exists (Node, secure browser pages), otherwise 32 random hex digits. */
export function createRunId(): string {
  const cryptoLike = (globalThis as { crypto?: RandomSource }).crypto;
  if (typeof cryptoLike?.randomUUID === 'function') {
    // The same kind of UUID `randomUUID` makes, from a larger pool of random bytes: a run per
    // request spent a twentieth of its time refilling `randomUUID`'s.
    if (typeof cryptoLike.getRandomValues === 'function')
      return pooledUuid(cryptoLike as Required<RandomSource>);
    return cryptoLike.randomUUID();
  }
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
