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

  it("follows BullMQ's job signal, before and after its own signal is read", () => {
    const before = new AbortController();
    const early = new AttemptAbort(before.signal);
    before.abort('lock lost');
    expect(early.aborted).toBe(true);
    expect(early.signal.reason).toBe('lock lost');

    const after = new AbortController();
    const late = new AttemptAbort(after.signal);
    const signal = late.signal;
    after.abort('worker closing');
    expect(signal.aborted).toBe(true);
    expect(late.reason).toBe('worker closing');
  });

  it('stops following the job signal once disposed', () => {
    const job = new AbortController();
    const attempt = new AttemptAbort(job.signal);
    const signal = attempt.signal;
    attempt.dispose();
    job.abort('after the attempt');
    expect(signal.aborted).toBe(false);
  });

  it('is not aborted while nothing aborted it', () => {
    const attempt = new AttemptAbort(new AbortController().signal);
    expect(attempt.aborted).toBe(false);
    expect(attempt.reason).toBeUndefined();
    expect(attempt.signal.aborted).toBe(false);
  });
});
