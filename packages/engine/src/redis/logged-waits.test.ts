import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoggedWaits, streamIdAtMost } from './logged-waits.js';

/** Which of `waits` have ended, after pending callbacks ran. */
async function ended(waits: Promise<void>[]): Promise<boolean[]> {
  const state = waits.map(() => false);
  waits.forEach((wait, at) => {
    void wait.then(() => {
      state[at] = true;
    });
  });
  await Promise.resolve();
  await Promise.resolve();
  return state;
}

describe('logged waits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('compares stream ids by time, then by sequence, as numbers', () => {
    expect(streamIdAtMost('9-5', '10-0')).toBe(true);
    expect(streamIdAtMost('10-0', '9-5')).toBe(false);
    expect(streamIdAtMost('10-2', '10-10')).toBe(true);
    expect(streamIdAtMost('10-10', '10-2')).toBe(false);
    expect(streamIdAtMost('10-3', '10-3')).toBe(true);
  });

  it('ends the waits of the run up to the logged mail id, and no others', async () => {
    vi.useFakeTimers();
    const waits = new LoggedWaits();
    const upTo = waits.wait('run-a', '100-1', 1000);
    const at = waits.wait('run-a', '100-2', 1000);
    const after = waits.wait('run-a', '100-3', 1000);
    const otherRun = waits.wait('run-b', '50-0', 1000);
    waits.heard('run-a\n100-2');
    expect(await ended([upTo, at, after, otherRun])).toEqual([true, true, false, false]);
    waits.heard('run-b\n60-0');
    expect(await ended([after, otherRun])).toEqual([false, true]);
  });

  it('ends at once a wait for a mail id already heard logged', async () => {
    vi.useFakeTimers();
    const waits = new LoggedWaits();
    waits.heard('run-a\n100-2');
    const logged = waits.wait('run-a', '100-1', 1000);
    const later = waits.wait('run-a', '100-3', 1000);
    expect(await ended([logged, later])).toEqual([true, false]);
  });

  it('ends a wait nobody answers once its time is up', async () => {
    vi.useFakeTimers();
    const waits = new LoggedWaits();
    const wait = waits.wait('run-a', '100-1', 20);
    vi.advanceTimersByTime(19);
    expect(await ended([wait])).toEqual([false]);
    vi.advanceTimersByTime(1);
    expect(await ended([wait])).toEqual([true]);
    // A message arriving later finds nothing left to end.
    waits.heard('run-a\n100-1');
  });

  it('ignores a message that is not `<run id>\\n<mail id>`', async () => {
    vi.useFakeTimers();
    const waits = new LoggedWaits();
    const wait = waits.wait('run-a', '100-1', 1000);
    waits.heard('run-a');
    expect(await ended([wait])).toEqual([false]);
  });
});
