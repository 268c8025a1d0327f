/**
 * Vitest global setup of `vitest.cluster.config.ts`: a private Redis Cluster
 * of three masters on free loopback ports (temporary directories, no
 * persistence), stopped and deleted afterwards. Its seed nodes reach the tests
 * through `inject('redisCluster')`; the Redis tests then run on it.
 */
import { startRedisCluster } from '@fusync/private-redis';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('redisUrl', '');
  try {
    const cluster = await startRedisCluster();
    project.provide('redisCluster', cluster.nodes.join(','));
    project.provide('redisUnavailable', '');
    return () => cluster.stop();
  } catch (error) {
    project.provide('redisCluster', '');
    project.provide(
      'redisUnavailable',
      `Could not start a private Redis Cluster (${(error as Error).message}). Install redis-server and redis-cli.`,
    );
    return async () => {};
  }
}
