import { describe, expect, it } from 'vitest';
import { delay } from './delay.js';

describe('delay', () => {
  it('resolves after the time, with or without a signal', async () => {
    const started = Date.now();
    await expect(delay(20)).resolves.toBeUndefined();
    await expect(delay(20, new AbortController().signal)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('rejects with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = delay(10_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const reason = new Error('timed out');
    await expect(delay(10_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
