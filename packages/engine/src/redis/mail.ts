import { isCluster, type RedisClient } from './connection.js';
import type { KeySpace } from './keys.js';

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
  await redis.xadd(mailKey, '*', 'd', input);
  // The mail is written: a lost message only delays it (the coordinator rereads within a second),
  // so a failed publish is not the sender's failure. Not logged: the connection logs its outages.
  if (isCluster(redis)) await redis.publish(keys.mailChannel, mailKey).catch(() => 0);
}

/** The channel `RECORD_OUTCOME` publishes to on a cluster ('' on one Redis: nobody listens). */
export function mailChannelFor(redis: RedisClient, keys: KeySpace): string {
  return isCluster(redis) ? keys.mailChannel : '';
}
