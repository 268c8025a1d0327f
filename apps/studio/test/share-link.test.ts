import { SEQUENCE_FORMAT, SEQUENCE_VERSION, type SequenceJson } from 'fusync';
import { describe, expect, it } from 'vitest';
import {
  decodeSharePayload,
  encodeSharePayload,
  ShareLinkError,
  shareLink,
  sharePayloadOf,
} from '../src/share/share-link';

const json: SequenceJson = {
  format: SEQUENCE_FORMAT,
  version: SEQUENCE_VERSION,
  name: 'orders · ünïcode',
  config: { concurrency: 2 },
  layers: [
    { name: 'fetch', operation: 'wait' },
    { name: 'charge', operation: 'processPayment', dependsOn: ['fetch'], retries: 2 },
  ],
  studio: {
    nodes: { fetch: { x: 10, y: 20 }, charge: { x: 10, y: 160, expectedDurationMs: 300 } },
  },
};

describe('share links', () => {
  it('carry the whole sequence, positions included, and give it back unchanged', async () => {
    const link = await shareLink(json, 'http://127.0.0.1:3000/studio?x=1#old');
    expect(link.startsWith('http://127.0.0.1:3000/studio?x=1#share=1.')).toBe(true);
    const payload = sharePayloadOf(new URL(link).hash);
    expect(payload).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(JSON.parse(await decodeSharePayload(payload as string))).toEqual(json);
  });

  it('are compressed: a repetitive sequence takes far fewer characters than its JSON', async () => {
    const big = {
      ...json,
      layers: Array.from({ length: 200 }, (_, i) => ({ name: `layer${i}`, operation: 'wait' })),
    };
    const payload = await encodeSharePayload(big);
    expect(payload.length).toBeLessThan(JSON.stringify(big).length / 4);
  });

  it('refuse a damaged or foreign payload with a message that offers the file instead', async () => {
    const payload = await encodeSharePayload(json);
    await expect(decodeSharePayload(payload.slice(0, payload.length / 2))).rejects.toThrow(
      ShareLinkError,
    );
    await expect(decodeSharePayload(`2.${payload.slice(2)}`)).rejects.toThrow(/format `2`/);
    await expect(decodeSharePayload('garbage')).rejects.toThrow(/JSON file instead/);
  });

  it('are found only in a fragment that names them', () => {
    expect(sharePayloadOf('#share=1.abc')).toBe('1.abc');
    expect(sharePayloadOf('#other=1')).toBeUndefined();
    expect(sharePayloadOf('')).toBeUndefined();
  });
});
