import type { RedisClient } from 'fusync/redis';

/**
 * What in the Redis settings could lose accepted runs, as lines to warn
 * with: an eviction policy other than `noeviction` (Redis may drop run state
 * and jobs under memory pressure), and no append-only file (a restart loses
 * what was written since the last snapshot, or everything without one).
 * Empty when the settings keep runs. Managed Redis services often refuse
 * `CONFIG GET`: that is said too, since nothing could be checked.
 */
export async function durabilityWarnings(redis: RedisClient): Promise<string[]> {
  let settings: Record<string, string>;
  try {
    const pairs = (await redis.call(
      'CONFIG',
      'GET',
      'maxmemory-policy',
      'appendonly',
      'save',
    )) as string[];
    settings = {};
    for (let i = 0; i + 1 < pairs.length; i += 2)
      settings[pairs[i] as string] = pairs[i + 1] as string;
  } catch (error) {
    return [
      `Could not read the Redis settings (${(error as Error).message}): make sure it runs with maxmemory-policy noeviction and appendonly yes, or runs can be lost.`,
    ];
  }
  const warnings: string[] = [];
  const policy = settings['maxmemory-policy'];
  if (policy !== undefined && policy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is ${policy}: under memory pressure it may evict run state and jobs. Set maxmemory-policy noeviction.`,
    );
  }
  if (settings.appendonly !== 'yes') {
    warnings.push(
      settings.save
        ? `Redis keeps no append-only file (appendonly no), only snapshots (save ${settings.save}): a restart loses what runs wrote since the last one. Set appendonly yes (appendfsync everysec).`
        : 'Redis persists nothing (appendonly no, no save points): a restart loses every accepted run. Set appendonly yes (appendfsync everysec).',
    );
  }
  return warnings;
}
