import { describe, expect, it } from 'vitest';
import { createRunId } from './run-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createRunId', () => {
  it('makes version 4 UUIDs, all different, across refills of its random pool', () => {
    const ids = Array.from({ length: 10_000 }, () => createRunId());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spreads every hex digit over the random positions', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const digit of createRunId().slice(0, 8)) seen.add(digit);
    expect(seen.size).toBe(16);
  });
});
