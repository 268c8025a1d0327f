import { isCluster, type RedisClient } from './connection.js';
import type { KeySpace } from './keys.js';
import { SEND_MAIL } from './scripts.js';

/**
 * Appends an input to a run's mail stream. On a Redis Cluster the mail
 * channel hears the stream's key too: coordinators there wait on that
 * channel, not on a blocking read of the streams (see `NotifiedInputsReader`).
 */
export async function sendMail(
  redis: RedisClient,
  keys: KeySpace,
  mailKey: string,
  input: string,
): Promise<void> {
  // One script on the run's node: the channel's ring can wait only on the node the mail waits on.
  await redis.eval(SEND_MAIL, 1, mailKey, input, mailChannelFor(redis, keys));
}

/** The channel `RECORD_OUTCOME` publishes to on a cluster ('' on one Redis: nobody listens). */
export function mailChannelFor(redis: RedisClient, keys: KeySpace): string {
  return isCluster(redis) ? keys.mailChannel : '';
}
