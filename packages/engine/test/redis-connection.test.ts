import { describe, expect, it } from 'vitest';
import { FusyncError } from '../src/index.js';
import { clusterNodesOf, parseClusterNode } from '../src/redis/connection.js';

describe('Redis Cluster connection settings', () => {
  it('reads seed nodes given as host:port, [IPv6]:port or { host, port }', () => {
    expect(
      clusterNodesOf({ cluster: ['10.0.0.5:7000', '[::1]:7001', { host: 'redis-2', port: 7002 }] }),
    ).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: '::1', port: 7001 },
      { host: 'redis-2', port: 7002 },
    ]);
  });

  it('says a single Redis is no cluster', () => {
    expect(clusterNodesOf({ url: 'redis://127.0.0.1:6380' })).toBeUndefined();
    expect(clusterNodesOf('redis://127.0.0.1:6380')).toBeUndefined();
  });

  it('refuses a node without a port, or with one out of range, naming where it came from', () => {
    for (const bad of ['10.0.0.5', '10.0.0.5:0', 'host:70000', 'redis://h:7000', ''])
      expect(() => parseClusterNode(bad, 'FUSYNC_REDIS_CLUSTER')).toThrow(
        /Expected FUSYNC_REDIS_CLUSTER to be `host:port`/,
      );
    expect(() => clusterNodesOf({ cluster: ['a:1', 'b'] })).toThrow(
      /`redisOptions\.cluster\[1\]`.*got `b`/,
    );
  });

  it('refuses an empty cluster and a cluster beside a url, with a typed error', () => {
    const empty = (() => {
      try {
        clusterNodesOf({ cluster: [] });
      } catch (error) {
        return error;
      }
    })();
    expect(empty).toBeInstanceOf(FusyncError);
    expect(empty).toMatchObject({ code: 'INVALID_OPTION' });
    expect(() => clusterNodesOf({ url: 'redis://h:6379', cluster: ['h:7000'] })).toThrow(
      /both `url` and `cluster`/,
    );
  });
});
