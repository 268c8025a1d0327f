import { describe, expect, it } from 'vitest';
import { AttemptAbort } from './attempt-abort.js';

describe('attempt abort', () => {
  it('shows an abort that came before its signal was first read', () => {
    const attempt = new AttemptAbort();
    const reason = new Error('run stopped');
    attempt.abort(reason);
    expect(attempt.aborted).toBe(true);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(reason);
  });

  it('aborts a signal already read, keeping the first reason', () => {
    const attempt = new AttemptAbort();
    const signal = attempt.signal;
    const first = new Error('timed out');
    attempt.abort(first);
    attempt.abort(new Error('run stopped'));
    expect(signal.aborted).toBe(true);
    expect(attempt.reason).toBe(first);
  });

  it('is not aborted while nothing aborted it', () => {
    const attempt = new AttemptAbort();
    expect(attempt.aborted).toBe(false);
    expect(attempt.reason).toBeUndefined();
    expect(attempt.signal.aborted).toBe(false);
  });
});
