/**
 * Browser benchmark of Fusync Studio in headless Chromium (playwright-core):
 *  1. a 1,000-layer sequence imported from a file, as a user does it: from the moment the
 *     file is chosen in Import's file input to the nodes painted (read, check, layout, render);
 *  2. render of a 10,000-bar Gantt chart (2,500 layers × 4 attempts), and its scrolling;
 *  3. frame time while panning the 1,000-layer canvas.
 * Runs against the built studio served by the built server (`apps/server/dist/main.js`).
 * Prints a markdown table. `pnpm --filter fusync-e2e bench`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { largeSequence, manyBarsEvents } from '../support/fixtures';

const here = dirname(fileURLToPath(import.meta.url));
const serverEntry = resolve(here, '../../apps/server/dist/main.js');
const studioIndex = resolve(here, '../../apps/studio/dist/index.html');
const port = Number(process.env.BENCH_PORT ?? process.env.E2E_PORT ?? 3197);
const base = `http://127.0.0.1:${port}`;
const runs = Number(process.env.BENCH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function startServer(): Promise<ChildProcess> {
  for (const [file, build] of [
    [serverEntry, 'pnpm --filter @fusync/server build'],
    [studioIndex, 'pnpm --filter @fusync/studio build'],
  ] as const) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`${build}\` first (or \`pnpm build\`).`);
  }
  const child = spawn(process.execPath, [serverEntry], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`The server did not answer on ${base}.`);
}

/** Pastes JSON into the import dialog, clicks Import and measures, in the page, until `ready()` holds after a paint. */
async function importAndMeasure(page: Page, text: string, ready: string): Promise<number> {
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-text').fill(text);
  // In-page code is passed as text: the TypeScript runner's helpers do not exist in the page.
  return page.evaluate(`(async () => {
    const isReady = () => (${ready});
    const button = document.querySelector('[data-testid=import-submit]');
    const start = performance.now();
    button.click();
    await new Promise((done) => {
      const check = () => (isReady() ? done() : requestAnimationFrame(check));
      requestAnimationFrame(check);
    });
    // The frame after: what was committed has been painted.
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - start;
  })()`) as Promise<number>;
}

/**
 * Opens Import, chooses `file` in its file input (`setInputFiles`, what a user's pick in the
 * file dialog does) and measures, in the page, from the input's `change` event until `ready()`
 * holds after a paint.
 */
async function importFileAndMeasure(page: Page, file: string, ready: string): Promise<number> {
  await page.getByTestId('open-import').click();
  const input = page.getByTestId('import-file');
  await input.evaluate((element) => {
    const w = window as unknown as { __chosenAt: number | undefined };
    w.__chosenAt = undefined;
    element.addEventListener('change', () => (w.__chosenAt = performance.now()), {
      capture: true,
      once: true,
    });
  });
  const measured = page.evaluate(`(async () => {
    const isReady = () => window.__chosenAt !== undefined && (${ready});
    await new Promise((done) => {
      const check = () => (isReady() ? done() : requestAnimationFrame(check));
      requestAnimationFrame(check);
    });
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - window.__chosenAt;
  })()`) as Promise<number>;
  await input.setInputFiles(file);
  return measured;
}

/** Frame intervals while `drive` runs. */
async function frameTimes(page: Page, drive: () => Promise<void>): Promise<number[]> {
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  return page.evaluate('window.__recording = false, window.__frames.slice(1)') as Promise<number[]>;
}

let browserVersion = '';

async function main(): Promise<void> {
  const server = await startServer();
  const executablePath =
    process.env.CHROMIUM_PATH ??
    (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const rows: [string, string, string][] = [];
  const tempDir = mkdtempSync(join(tmpdir(), 'fusync-bench-'));
  browserVersion = browser.version();
  try {
    const sequenceFile = join(tempDir, 'large-1000.json');
    writeFileSync(sequenceFile, JSON.stringify(largeSequence(1000), null, 2));
    const bars = JSON.stringify({ events: manyBarsEvents(2500, 4) });

    // 1. A 1,000-layer sequence imported from a file, in a fresh page each time.
    const importTimes: number[] = [];
    let page: Page | undefined;
    for (let i = 0; i < runs; i++) {
      await page?.close();
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(base);
      await page.evaluate('localStorage.clear()');
      await page.reload();
      await page.getByTestId('canvas').waitFor();
      importTimes.push(
        await importFileAndMeasure(
          page,
          sequenceFile,
          // Every layer in the DOM: the fitted view shows the whole sequence.
          `document.querySelector('[data-testid=canvas]')?.getAttribute('data-layer-count') === '1000' && document.querySelectorAll('.react-flow__node').length >= 1000`,
        ),
      );
    }
    const nodesRendered = await page?.locator('.react-flow__node').count();
    rows.push([
      'Import of a 1,000-layer sequence from a file: file chosen → nodes painted',
      `${median(importTimes).toFixed(0)} ms (median of ${runs}; ${nodesRendered} nodes in the DOM)`,
      '< 1,500 ms',
    ]);

    // 3. Panning the 1,000-layer canvas.
    if (page) {
      const pane = page.locator('.react-flow__pane');
      const box = await pane.boundingBox();
      if (!box) throw new Error('no canvas pane');
      const frames = await frameTimes(page, async () => {
        const x = box.x + box.width / 2;
        const y = box.y + box.height / 2;
        await page?.mouse.move(x, y);
        await page?.mouse.down();
        for (let step = 1; step <= 60; step++)
          await page?.mouse.move(x + Math.sin(step / 6) * 200, y + step * 2, { steps: 1 });
        await page?.mouse.up();
      });
      rows.push([
        'Frame time while panning the 1,000-layer canvas',
        `mean ${(frames.reduce((a, b) => a + b, 0) / Math.max(frames.length, 1)).toFixed(1)} ms, p95 ${percentile(frames, 0.95).toFixed(1)} ms (${frames.length} frames)`,
        '≤ 16.7 ms (60 fps)',
      ]);

      // 2. A 10,000-bar Gantt chart.
      const ganttTimes: number[] = [];
      for (let i = 0; i < runs; i++) {
        ganttTimes.push(
          await importAndMeasure(
            page,
            bars,
            `document.querySelector('[data-testid=gantt]')?.getAttribute('data-bar-count') === '10000'`,
          ),
        );
      }
      rows.push([
        'Render of a 10,000-bar Gantt chart (2,500 layers × 4 attempts)',
        `${median(ganttTimes).toFixed(0)} ms (median of ${runs})`,
        '< 1,000 ms',
      ]);
      const frames2 = await frameTimes(page, async () => {
        for (let step = 0; step < 60; step++)
          await page.evaluate(
            `document.querySelector('[data-testid=gantt]').scrollTo({ top: ${step * 900} })`,
          );
      });
      rows.push([
        'Frame time while scrolling the 10,000-bar Gantt chart',
        `mean ${(frames2.reduce((a, b) => a + b, 0) / Math.max(frames2.length, 1)).toFixed(1)} ms, p95 ${percentile(frames2, 0.95).toFixed(1)} ms`,
        '≤ 16.7 ms (60 fps)',
      ]);
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
    await browser.close();
    server.kill();
  }
  const version = (await import('playwright-core/package.json', { with: { type: 'json' } })).default
    .version;
  const [load] = loadavg();
  console.log(
    `\n### Fusync Studio benchmark (headless Chromium ${browserVersion}, playwright-core ${version}, Node ${process.version}, ${cpus().length} CPUs, load average ${load?.toFixed(1)})\n`,
  );
  console.log('| Measure | Result | Target |');
  console.log('| --- | --- | --- |');
  for (const [name, result, target] of rows) console.log(`| ${name} | ${result} | ${target} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
