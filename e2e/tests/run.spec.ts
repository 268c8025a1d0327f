import { expect, type Page, test } from '@playwright/test';
import { node, openStudio, orderSequence, screenshot, sequence } from '../support/studio';

const retrying = sequence(
  'retrying',
  [
    { name: 'fetch', operation: 'flaky', retries: 2, retryDelay: 400 },
    { name: 'transform', operation: 'wait', dependsOn: ['fetch'] },
    { name: 'audit', operation: 'wait' },
  ],
  {
    studio: {
      nodes: { fetch: { x: 0, y: 0 }, transform: { x: 0, y: 160 }, audit: { x: 260, y: 0 } },
    },
  },
);

/** Records every status a layer node shows, as the DOM commits it. */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { seenStatuses: Set<string> }).seenStatuses = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target as HTMLElement;
        if (target.dataset.layer && target.dataset.status)
          seen.add(`${target.dataset.layer}:${target.dataset.status}`);
      }
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
  });
}

async function seenStatuses(page: Page): Promise<string[]> {
  return page.evaluate(() => [
    ...(window as unknown as { seenStatuses: Set<string> }).seenStatuses,
  ]);
}

test.describe('runs', () => {
  test('runs in the browser: live status, a Gantt bar per attempt, the ASCII timeline, the metrics and spans', async ({
    page,
  }) => {
    await openStudio(page, retrying);
    await recordStatuses(page);
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    expect(await seenStatuses(page)).toEqual(
      expect.arrayContaining([
        'fetch:running',
        'fetch:retrying',
        'fetch:succeeded',
        'transform:running',
      ]),
    );
    for (const name of ['fetch', 'transform', 'audit'])
      await expect(node(page, name).getByTestId('layer-node')).toHaveAttribute(
        'data-status',
        'succeeded',
      );

    const gantt = page.getByTestId('gantt');
    await expect(gantt).toHaveAttribute('data-bar-count', '4');
    await expect(gantt).toHaveAttribute('data-row-count', '3');
    await expect(page.locator('[data-testid=gantt-table] tr[data-layer=fetch]')).toHaveAttribute(
      'data-attempts',
      '2',
    );
    await expect(page.locator('[data-testid=gantt-table] tr[data-layer=fetch]')).toContainText(
      '#1 retrying, #2 succeeded',
    );
    await expect(gantt).toHaveAttribute('data-critical-path', 'fetch -> transform');
    await screenshot(page, 'run-browser-gantt');

    await page.getByTestId('tab-timeline').click();
    const timeline = page.getByTestId('ascii-timeline');
    await expect(timeline).toContainText('--- Execution Timeline ---');
    await expect(timeline).toContainText('░');
    for (const name of ['fetch', 'transform', 'audit']) await expect(timeline).toContainText(name);
    await screenshot(page, 'run-browser-timeline');

    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('metric-tasks')).toHaveAttribute('data-value', '3');
    await expect(page.getByTestId('metric-succeeded')).toHaveAttribute('data-value', '3');
    await expect(page.getByTestId('metric-failed')).toHaveAttribute('data-value', '0');
    await expect(page.getByTestId('metric-attempts')).toHaveAttribute('data-value', '4');
    await expect(page.getByTestId('metric-retries')).toHaveAttribute('data-value', '1');
    await expect(page.getByTestId('metric-rate')).toHaveAttribute('data-value', '100.00%');
    await expect(page.getByTestId('ascii-metrics')).toContainText('Success Rate: 100.00%');
    await screenshot(page, 'run-browser-metrics');

    await page.getByTestId('tab-graph').click();
    await expect(page.getByTestId('ascii-graph')).toContainText('transform');

    await page.getByTestId('tab-spans').click();
    await expect(page.getByTestId('span-row')).toHaveCount(5);
    await expect(page.getByTestId('spans-table')).toContainText('fusync.run retrying');
    await screenshot(page, 'run-browser-spans');
  });

  test('marks failed and skipped layers of a browser run', async ({ page }) => {
    await openStudio(
      page,
      sequence('failing', [
        { name: 'broken', operation: 'fail', onError: 'continue' },
        { name: 'after', operation: 'wait', dependsOn: ['broken'] },
        { name: 'other', operation: 'wait' },
      ]),
    );
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    await expect(node(page, 'broken').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'failed',
    );
    await expect(node(page, 'after').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'skipped',
    );
    await expect(node(page, 'other').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'succeeded',
    );
    await expect(page.getByTestId('notice')).toContainText('`broken` failed');
    await expect(page.locator('[data-testid=gantt-table] tr[data-layer=after]')).toHaveAttribute(
      'data-attempts',
      '0',
    );
  });

  test('cancels a browser run', async ({ page }) => {
    await openStudio(
      page,
      sequence('slow', [
        { name: 'slow', operation: 'wait', args: ['ms'] },
        { name: 'next', operation: 'wait', dependsOn: ['slow'] },
      ]),
    );
    await page.getByTestId('run-input').fill('{ "ms": 20000 }');
    await page.getByTestId('run-browser').click();
    await expect(node(page, 'slow').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'running',
    );
    await page.getByTestId('cancel-run').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
    await expect(node(page, 'slow').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'cancelled',
    );
    await expect(page.getByTestId('run-browser')).toBeEnabled();
  });

  test('runs on the server and follows the live status to succeeded', async ({ page }) => {
    await openStudio(page, orderSequence);
    await expect(page.getByTestId('server-state')).toContainText('online');
    await expect(
      page.locator('[data-testid=palette-item][data-source=server]').first(),
    ).toBeVisible();
    await recordStatuses(page);
    await page.getByTestId('run-server').click();
    await expect(page.getByTestId('connection-state')).toBeVisible();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 20_000,
    });
    for (const layer of orderSequence.layers)
      await expect(node(page, layer.name).getByTestId('layer-node')).toHaveAttribute(
        'data-status',
        'succeeded',
      );
    // The stream may replay the first events in one burst; the last layer starts long after it is open.
    expect(await seenStatuses(page)).toEqual(
      expect.arrayContaining(['processPayment:running', 'processPayment:succeeded']),
    );
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '5');
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'closed');
    await screenshot(page, 'run-server');

    const runId = await page.locator('[data-testid=run-summary] code').textContent();
    await page.getByTestId('tab-runs').click();
    const row = page.locator(`[data-testid=server-run-row][data-run-id="${runId}"]`);
    await expect(row).toContainText('succeeded');
    await row.getByRole('button').click();
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '5');
    await screenshot(page, 'server-runs');
  });

  test('resumes a broken events stream where it stopped, without losing or repeating events', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    // The first stream breaks after three events; the studio reconnects and the run completes.
    let streams = 0;
    let broken = false;
    await page.route('**/api/runs/*/events*', async (route) => {
      streams++;
      if (broken) {
        await route.continue();
        return;
      }
      broken = true;
      const whole = await (await route.fetch()).text();
      const firstThree = whole
        .split('\n\n')
        .filter((block) => block.includes('data:'))
        .slice(0, 3);
      await route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
        body: `retry: 200\n\n${firstThree.join('\n\n')}\n\n`,
      });
    });
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { connectionStates: string[] }).connectionStates = seen;
      new MutationObserver(() => {
        const state = document.querySelector<HTMLElement>('[data-testid=connection-state]')?.dataset
          .state;
        if (state && seen[seen.length - 1] !== state) seen.push(state);
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    });
    await page.getByTestId('run-server').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 20_000,
    });
    expect(streams).toBeGreaterThanOrEqual(2);
    expect(
      await page.evaluate(
        () => (window as unknown as { connectionStates: string[] }).connectionStates,
      ),
    ).toContain('reconnecting');
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '5');
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('metric-attempts')).toHaveAttribute('data-value', '5');
    await expect(page.getByTestId('metric-succeeded')).toHaveAttribute('data-value', '5');
  });

  test('simulates instantly on a virtual clock at any concurrency, with the critical path', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    await page.getByTestId('simulate').click();
    const gantt = page.getByTestId('gantt');
    await expect(gantt).toHaveAttribute('data-bar-count', '5');
    await expect(gantt).toHaveAttribute(
      'data-critical-path',
      'checkInventory -> reserveInventory -> createOrder -> processPayment',
    );
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('metric-total')).toHaveAttribute('data-value', '400 ms');

    await page.getByTestId('simulate-concurrency').fill('1');
    await page.getByTestId('simulate').click();
    await expect(page.getByTestId('metric-total')).toHaveAttribute('data-value', '500 ms');
    await page.getByTestId('tab-gantt').click();
    await screenshot(page, 'simulate');
  });

  test('shows a Redis run whose layer was redelivered: the part lost with its worker as a bar of its own, naming it', async ({
    page,
  }) => {
    await openStudio(page, sequence('redelivered', [{ name: 'slow', operation: 'wait' }]));
    const runId = 'run-redelivered';
    const attempt = { layer: 'slow', attempt: 1 };
    const events = [
      {
        seq: 0,
        runId,
        time: 1000,
        type: 'run:started',
        layers: [{ name: 'slow', dependsOn: [], priority: 0, operation: 'wait' }],
        concurrency: 1,
        queueType: 'FIFO',
      },
      { seq: 1, runId, time: 1000, type: 'layer:queued', layer: 'slow' },
      { seq: 2, runId, time: 1000, type: 'layer:started', ...attempt, args: [] },
      {
        seq: 3,
        runId,
        time: 2000,
        type: 'layer:redelivered',
        ...attempt,
        worker: 'worker-b',
        lostWorker: 'worker-a',
      },
      {
        seq: 4,
        runId,
        time: 4000,
        type: 'layer:succeeded',
        ...attempt,
        result: 1,
        worker: 'worker-b',
      },
      { seq: 5, runId, time: 4000, type: 'run:finished', status: 'succeeded' },
    ];
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-text').fill(JSON.stringify({ events }));
    await page.getByTestId('import-submit').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');

    const gantt = page.getByTestId('gantt');
    await expect(gantt).toHaveAttribute('data-bar-count', '2');
    const row = page.locator('[data-testid=gantt-table] tr[data-layer=slow]');
    await expect(row).toHaveAttribute('data-attempts', '1');
    await expect(row).toContainText('#1 lost, #1 succeeded');
    await expect(page.locator('.legend')).toContainText('lost with its worker');
    // One attempt, however many workers it took: the canvas shows no attempt count.
    await expect(node(page, 'slow').getByTitle('Attempts started')).toHaveCount(0);

    // The lost part is the first third of the row: its tooltip names the worker that was lost.
    const box = await gantt.boundingBox();
    if (!box) throw new Error('The Gantt chart is not on screen.');
    await page.mouse.move(box.x + 200 + 12, box.y + 28 + 11);
    const tooltip = page.locator('.gantt-tooltip');
    await expect(tooltip).toContainText('slow · attempt 1');
    await expect(tooltip).toContainText('lost with its worker');
    await expect(tooltip).toContainText('lost worker: worker-a');
    await screenshot(page, 'run-redelivered-gantt');

    // The metrics count the lost part apart; the layer's details count one attempt, redelivered.
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('metric-lost')).toHaveAttribute('data-value', '1 (1.000 s)');
    await expect(page.getByTestId('metric-attempts')).toHaveAttribute('data-value', '1');
    await node(page, 'slow').click();
    await page.getByTestId('inspector-tab-details').click();
    await expect(page.getByTestId('attempt-count')).toHaveText(
      '1 attempt over 3.000 s; redelivered once after a worker was lost',
    );
    await expect(page.getByTestId('attempt')).toHaveCount(2);
    await expect(page.getByTestId('attempt').first()).toContainText('worker lost, redelivered');
    await screenshot(page, 'run-redelivered-details');
  });
});
