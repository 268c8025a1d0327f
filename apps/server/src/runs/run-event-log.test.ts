import type { RunEvent } from 'fusync';
import { describe, expect, it } from 'vitest';
import { RunEventLog } from './run-event-log.js';

function event(seq: number, type: 'layer:queued' | 'run:finished' = 'layer:queued'): RunEvent {
  return type === 'run:finished'
    ? { seq, runId: 'r', time: seq, type, status: 'succeeded' }
    : { seq, runId: 'r', time: seq, type, layer: `l${seq}` };
}

async function collect(iterable: AsyncIterable<RunEvent>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const e of iterable) seqs.push(e.seq);
  return seqs;
}

describe('RunEventLog', () => {
  it('replays events after a seq, then follows new ones until run:finished', async () => {
    const log = new RunEventLog();
    log.append(event(0));
    log.append(event(1));
    const following = collect(log.follow(0));
    log.append(event(2));
    log.append(event(3, 'run:finished'));
    expect(await following).toEqual([1, 2, 3]);
    expect(log.finished).toBe(true);
    expect(await collect(log.follow())).toEqual([0, 1, 2, 3]);
    expect(await collect(log.follow(3))).toEqual([]);
  });

  it('ends a follower when its signal aborts', async () => {
    const log = new RunEventLog();
    log.append(event(0));
    const stop = new AbortController();
    const following = collect(log.follow(-1, stop.signal));
    stop.abort();
    expect(await following).toEqual([0]);
  });
});
