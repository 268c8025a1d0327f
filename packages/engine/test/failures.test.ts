import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FailureEpisode,
  logFailure,
  PERSISTENT_FAILURE_MS,
  RETRY_CAP_MS,
  retryDelay,
} from '../src/redis/failures.js';
import { recordingLogger } from './helpers.js';

describe('FailureEpisode', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs the first failure with its context, not the tries after it, then once when it works again', () => {
    const { logger, lines } = recordingLogger();
    const episode = new FailureEpisode(logger, 'writing the run’s log', {
      run: 'r1',
      key: 'fusync:run:r1:inputs',
    });
    for (let i = 0; i < 5; i++) episode.failed(new Error('NOREPLICAS Not enough good replicas'));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('warn');
    expect(lines[0]?.message).toContain(
      'writing the run’s log failed (run r1, key fusync:run:r1:inputs)',
    );
    expect(lines[0]?.message).toContain('NOREPLICAS');
    expect(lines[0]?.fields).toMatchObject({ run: 'r1', key: 'fusync:run:r1:inputs' });
    expect(episode.failing).toBe(true);

    episode.succeeded();
    expect(lines).toHaveLength(2);
    expect(lines[1]?.level).toBe('warn');
    expect(lines[1]?.message).toContain(
      'works again (run r1, key fusync:run:r1:inputs) after 5 failed tries',
    );
    expect(episode.failing).toBe(false);

    // A success outside an episode says nothing; a new failure opens a new episode.
    episode.succeeded();
    episode.failed(new Error('again'));
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'warn']);
  });

  it('reports a failure that persists once at `error`', () => {
    const { logger, lines } = recordingLogger();
    const episode = new FailureEpisode(logger, 'reading the run’s mail', { run: 'r2' });
    episode.failed(new Error('ECONNREFUSED'));
    vi.advanceTimersByTime(PERSISTENT_FAILURE_MS - 1);
    episode.failed(new Error('ECONNREFUSED'));
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    vi.advanceTimersByTime(1);
    episode.failed(new Error('ECONNREFUSED'));
    vi.advanceTimersByTime(60_000);
    episode.failed(new Error('ECONNREFUSED'));
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
    expect(lines[1]?.message).toContain('still failing (run r2) after 3 tries over 30 s');
  });

  it('backs off from 200 ms, doubling, to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelay)).toEqual([
      200,
      400,
      800,
      1600,
      3200,
      RETRY_CAP_MS,
      RETRY_CAP_MS,
      RETRY_CAP_MS,
    ]);
    const episode = new FailureEpisode(undefined, 'x');
    expect([episode.failed('a'), episode.failed('b'), episode.failed('c')]).toEqual([
      200, 400, 800,
    ]);
  });
});

describe('logFailure', () => {
  it('says what failed, where, why, and what happens instead', () => {
    const { logger, lines } = recordingLogger();
    logFailure(
      logger,
      'releasing the run’s lease',
      { run: 'r3' },
      new Error('READONLY'),
      'it lapses by itself',
    );
    expect(lines).toEqual([
      {
        level: 'warn',
        message:
          'fusync/redis: releasing the run’s lease failed (run r3): READONLY; it lapses by itself.',
        fields: { source: 'fusync/redis', run: 'r3', error: 'READONLY' },
      },
    ]);
  });
});
