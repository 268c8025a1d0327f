import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Drives the real built studio, served by the real built server, in
 * Chromium: Debian's (`/usr/bin/chromium`, or `CHROMIUM_PATH`) when present,
 * Playwright's own otherwise. Build first: `pnpm build` at the root.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 3199);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // Two shared cores: one worker keeps timings honest and the machine usable.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node ../apps/server/dist/main.js',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      FUSYNC_STUDIO_DIR: '../apps/studio/dist',
      FUSYNC_SEQUENCES_DIR: 'memory',
      // Demo operations take 0.4–0.6 s instead of 0.1–0.15 s: long enough for live status to be seen between events.
      FUSYNC_DEMO_LATENCY_SCALE: '4',
    },
  },
});
