import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopback, parseByteSize, readServerConfig } from './config.js';

const defaults = { studioDir: '/studio' };
const TOKEN = '0123456789abcdef0123';

describe('readServerConfig', () => {
  it('binds 127.0.0.1:3000 with the in-memory queue by default', () => {
    const config = readServerConfig({}, defaults);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      token: undefined,
      bodyLimit: 10 * 1024 * 1024,
      redisUrl: undefined,
      studioDir: '/studio',
      corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    });
    expect(config.allowedHosts).toContain('localhost');
  });

  it('reads HOST, PORT, REDIS_URL, FUSYNC_BODY_LIMIT and FUSYNC_CORS_ORIGINS', () => {
    const config = readServerConfig(
      {
        HOST: '0.0.0.0',
        PORT: '8080',
        FUSYNC_TOKEN: TOKEN,
        REDIS_URL: 'redis://r:6380',
        FUSYNC_BODY_LIMIT: '512kb',
        FUSYNC_CORS_ORIGINS: 'https://a.example, https://b.example:8443',
      },
      defaults,
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      token: TOKEN,
      redisUrl: 'redis://r:6380',
      bodyLimit: 512 * 1024,
    });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(config.allowedHosts).toBeUndefined();
  });

  it('reads FUSYNC_EMBEDDED_WORKER as a flag, off by default', () => {
    expect(readServerConfig({}, defaults).embeddedWorker).toBe(false);
    for (const on of ['true', '1', 'YES'])
      expect(readServerConfig({ FUSYNC_EMBEDDED_WORKER: on }, defaults).embeddedWorker).toBe(true);
    for (const off of ['false', '0', ''])
      expect(readServerConfig({ FUSYNC_EMBEDDED_WORKER: off }, defaults).embeddedWorker).toBe(
        false,
      );
    expect(() => readServerConfig({ FUSYNC_EMBEDDED_WORKER: 'on-ish' }, defaults)).toThrow(
      /FUSYNC_EMBEDDED_WORKER/,
    );
  });

  it('reads the Redis key prefix from FUSYNC_REDIS_PREFIX, `fusync` by default', () => {
    expect(readServerConfig({}, defaults).redisPrefix).toBe('fusync');
    expect(readServerConfig({ FUSYNC_REDIS_PREFIX: 'staging-2' }, defaults).redisPrefix).toBe(
      'staging-2',
    );
    for (const bad of ['a:b', 'with space', '{tag}', 'x'.repeat(65)]) {
      expect(() => readServerConfig({ FUSYNC_REDIS_PREFIX: bad }, defaults)).toThrow(
        /FUSYNC_REDIS_PREFIX/,
      );
    }
  });

  it('reads the seed nodes of a Redis Cluster from FUSYNC_REDIS_CLUSTER', () => {
    expect(readServerConfig({}, defaults).redisCluster).toBeUndefined();
    expect(
      readServerConfig({ FUSYNC_REDIS_CLUSTER: '10.0.0.5:7000, redis-2:7001,[::1]:7002' }, defaults)
        .redisCluster,
    ).toEqual(['10.0.0.5:7000', 'redis-2:7001', '[::1]:7002']);
  });

  it('refuses a FUSYNC_REDIS_CLUSTER node that is not host:port, and one beside REDIS_URL', () => {
    for (const bad of ['10.0.0.5', 'h:0', 'h:70000', 'redis://h:7000', 'h:7000,h2']) {
      expect(() => readServerConfig({ FUSYNC_REDIS_CLUSTER: bad }, defaults)).toThrow(
        /FUSYNC_REDIS_CLUSTER lists `[^`]+`, which is not `host:port`/,
      );
    }
    expect(() =>
      readServerConfig({ FUSYNC_REDIS_CLUSTER: 'h:7000', REDIS_URL: 'redis://h:6379' }, defaults),
    ).toThrow(ConfigError);
  });

  it('reads the origins httpRequest may fetch from FUSYNC_HTTP_ALLOW', () => {
    expect(readServerConfig({}, defaults).httpAllow).toBeUndefined();
    expect(
      readServerConfig({ FUSYNC_HTTP_ALLOW: 'https://api.example' }, defaults).httpAllow,
    ).toEqual(['https://api.example']);
    expect(() => readServerConfig({ FUSYNC_HTTP_ALLOW: 'api.example' }, defaults)).toThrow(
      /FUSYNC_HTTP_ALLOW/,
    );
  });

  it('refuses to listen beyond loopback without a token', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      expect(() => readServerConfig({ HOST }, defaults)).toThrow(ConfigError);
      expect(() => readServerConfig({ HOST }, defaults)).toThrow(/FUSYNC_TOKEN/);
    }
  });

  it('refuses a short token, a bad port, a bad size and a non-origin CORS entry', () => {
    expect(() => readServerConfig({ FUSYNC_TOKEN: 'short' }, defaults)).toThrow(/at least 16/);
    expect(readServerConfig({}, defaults).maxActiveRuns).toBe(1000);
    expect(readServerConfig({ FUSYNC_MAX_ACTIVE_RUNS: '25' }, defaults).maxActiveRuns).toBe(25);
    for (const raw of ['0', '-3', 'many'])
      expect(() => readServerConfig({ FUSYNC_MAX_ACTIVE_RUNS: raw }, defaults)).toThrow(
        /FUSYNC_MAX_ACTIVE_RUNS/,
      );
    for (const token of [
      'a-token-with a-space-1',
      'token-with-trailing-newline\n',
      '\tleading-tab-token-x',
    ])
      expect(() => readServerConfig({ FUSYNC_TOKEN: token }, defaults)).toThrow(
        /must not contain spaces/,
      );
    expect(() => readServerConfig({ PORT: '70000' }, defaults)).toThrow(/PORT/);
    expect(() => readServerConfig({ PORT: 'http' }, defaults)).toThrow(/PORT/);
    expect(() => readServerConfig({ FUSYNC_BODY_LIMIT: 'lots' }, defaults)).toThrow(
      /FUSYNC_BODY_LIMIT/,
    );
    expect(() => readServerConfig({ FUSYNC_CORS_ORIGINS: '*' }, defaults)).toThrow(/not an origin/);
    expect(() =>
      readServerConfig({ FUSYNC_CORS_ORIGINS: 'https://a.example/path' }, defaults),
    ).toThrow(/not an origin/);
  });
});

describe('isLoopback', () => {
  it('knows loopback names and addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'localhost.evil.example'])
      expect(isLoopback(host)).toBe(false);
  });
});

describe('parseByteSize', () => {
  it('reads plain bytes and kb/mb/gb', () => {
    expect(parseByteSize('X', '100')).toBe(100);
    expect(parseByteSize('X', '10MB')).toBe(10 * 1024 * 1024);
    expect(() => parseByteSize('X', '0')).toThrow(ConfigError);
  });
});
