import { AdvancedSequenceBuilder } from 'fusync';
import { describe, expect, it } from 'vitest';
import { lineProgress, ttyProgress } from './progress-display.js';

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9]*[A-Za-z]`, 'g');

async function runWith(display: { onEvent: (e: never) => void; finish(): void }): Promise<void> {
  const sequence = new AdvancedSequenceBuilder()
    .addLayer({ name: 'fetch', execute: async () => 1 })
    .addLayer({
      name: 'store',
      execute: async () => {
        throw new Error('disk full');
      },
      dependsOn: ['fetch'],
    })
    .addLayer({ name: 'notify', execute: async () => 3, dependsOn: ['store'] });
  await sequence.build({}, { onEvent: (e) => display.onEvent(e as never) });
  display.finish();
}

describe('progress display', () => {
  it('writes one line per state change when stderr is not a terminal', async () => {
    let text = '';
    await runWith(lineProgress({ write: (t: string) => (text += t) }));
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/Run .* started: 3 layers/);
    expect(lines).toContain('[fusync] ▶ fetch started');
    expect(lines.some((l) => l.includes('✖ store failed') && l.includes('disk full'))).toBe(true);
    expect(lines.some((l) => l.includes('⤼ notify skipped'))).toBe(true);
    expect(lines.at(-1)).toMatch(/Run .* failed in/);
  });

  it('redraws a status block in place on a terminal', async () => {
    const writes: string[] = [];
    await runWith(
      ttyProgress({ write: (t: string) => writes.push(t), isTTY: true, rows: 30, columns: 100 }),
    );
    const last = writes.at(-1) ?? '';
    // Every redraw after the first moves the cursor back over the previous block.
    if (writes.length > 1) expect(last.startsWith('\x1b[')).toBe(true);
    const plain = last.replace(ANSI, '');
    expect(plain).toMatch(/Run .* failed: 3\/3 done, 0 running, 1 failed/);
    expect(plain).toContain('✔ fetch succeeded');
    expect(plain).toContain('✖ store failed');
    expect(plain).toContain('disk full');
    expect(plain).toContain('⤼ notify skipped');
  });

  it('lists only active and failed layers when the block would not fit the terminal', async () => {
    const writes: string[] = [];
    const display = ttyProgress({
      write: (t: string) => writes.push(t),
      isTTY: true,
      rows: 4,
      columns: 80,
    });
    await runWith(display);
    const plain = (writes.at(-1) ?? '').replace(ANSI, '');
    expect(plain).toContain('✖ store failed');
    expect(plain).not.toContain('fetch succeeded');
    expect(plain).toContain('… 2 more layers');
  });
});

describe('progress display of a rerun', () => {
  /** A run whose `store` fails, then its rerun once `store` works: `fetch` is reused. */
  async function rerunWith(display: { onEvent: (e: never) => void; finish(): void }) {
    let broken = true;
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'fetch', execute: async () => 1 })
      .addLayer({
        name: 'store',
        execute: async () => {
          if (broken) throw new Error('disk full');
          return 2;
        },
        dependsOn: ['fetch'],
      });
    const failed = await sequence.build();
    broken = false;
    const again = await sequence.rerun(failed, { onEvent: (e) => display.onEvent(e as never) });
    display.finish();
    return { parentRunId: failed.runId, runId: again.runId };
  }

  it('says which layers were reused, one line each, when stderr is not a terminal', async () => {
    let text = '';
    const { parentRunId } = await rerunWith(lineProgress({ write: (t: string) => (text += t) }));
    const lines = text.trim().split('\n');
    expect(lines[0]).toContain(`rerun of ${parentRunId}`);
    expect(lines).toContain(`[fusync] ≡ fetch reused from ${parentRunId}`);
    expect(lines).toContain('[fusync] ▶ store started');
    expect(lines.some((l) => l.includes('fetch started'))).toBe(false);
  });

  it('marks reused layers and counts them in the block on a terminal', async () => {
    const writes: string[] = [];
    const { parentRunId, runId } = await rerunWith(
      ttyProgress({ write: (t: string) => writes.push(t), isTTY: true, rows: 30, columns: 200 }),
    );
    const plain = (writes.at(-1) ?? '').replace(ANSI, '');
    expect(plain).toContain(
      `Run ${runId} (rerun of ${parentRunId}) succeeded: 2/2 done, 1 reused, 0 running, 0 failed`,
    );
    expect(plain).toContain(`≡ fetch reused from ${parentRunId}`);
    expect(plain).toContain('✔ store succeeded');
  });
});
