import { expect, type Page, test } from '@playwright/test';
import { node, openStudio, orderSequence, screenshot, sequence } from '../support/studio';

/** The order flow of the README with its payment layer bound to `fail`: it fails at the last layer. */
const checkout = {
  ...orderSequence,
  name: 'checkout',
  layers: orderSequence.layers.map((layer) =>
    layer.name === 'processPayment' ? { ...layer, operation: 'fail' } : layer,
  ),
};

/** Calls of each layer's browser operation so far in the page (`fusyncStudio.operationCalls`). */
async function operationCalls(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({
    ...(window as unknown as { fusyncStudio: { operationCalls: Record<string, number> } })
      .fusyncStudio.operationCalls,
  }));
}

/** Calls made since `before`, by layer; layers not called are left out. */
async function callsSince(
  page: Page,
  before: Record<string, number>,
): Promise<Record<string, number>> {
  const now = await operationCalls(page);
  return Object.fromEntries(
    Object.entries(now)
      .map(([layer, count]) => [layer, count - (before[layer] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );
}

async function runId(page: Page): Promise<string> {
  return (await page.locator('[data-testid=run-summary] code').textContent()) ?? '';
}

async function openDetails(page: Page, layer: string): Promise<void> {
  await node(page, layer).click();
  await page.getByTestId('inspector-tab-details').click();
  await expect(page.getByTestId('layer-details')).toHaveAttribute('data-layer', layer);
}

test.describe('layer details and rerun', () => {
  test('a failed browser run: read the failed layer, fix it, rerun from the failure; only it runs again', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await openStudio(page, checkout);
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    const parentRunId = await runId(page);

    // What the failed layer got and gave.
    await openDetails(page, 'processPayment');
    const attempt = page.locator('[data-testid=attempt][data-attempt="1"]');
    await expect(attempt).toHaveAttribute('data-outcome', 'failed');
    await expect(attempt.getByTestId('attempt-error-message')).toHaveText(
      'fail: layer `processPayment` fails on purpose',
    );
    const args = attempt.getByTestId('attempt-args-tree');
    await expect(args).toContainText(`"order-c-42-${parentRunId.slice(0, 6)}"`);
    await expect(args).toContainText('39.98');
    await expect(attempt.getByTestId('attempt-worker')).toHaveText('memory');
    await expect(page.getByTestId('layer-details')).toContainText('Arguments (2)');
    await screenshot(page, 'layer-details-failed-1600');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTitle('Show every layer').click();
    await screenshot(page, 'layer-details-failed-1024');
    await page.setViewportSize({ width: 1600, height: 1000 });

    // The fix: the layer's real operation.
    await page.getByTestId('inspector-tab-settings').click();
    await page.getByTestId('layer-operation').fill('processPayment');
    await page.getByTestId('layer-operation').press('Enter');

    const before = await operationCalls(page);
    await page.getByTestId('rerun-failed').click();
    const dialog = page.getByTestId('rerun-dialog');
    await expect(dialog.getByTestId('rerun-where')).toContainText('in this tab');
    await expect(dialog.getByTestId('rerun-plan')).toHaveAttribute('data-rerun', 'processPayment');
    await expect(dialog.getByTestId('rerun-plan')).toHaveAttribute(
      'data-reused',
      'checkInventory,validateCustomer,reserveInventory,createOrder',
    );
    await expect(dialog.getByTestId('rerun-input')).toHaveValue(/"customerId": "c-42"/);
    await screenshot(page, 'rerun-dialog');
    await dialog.getByTestId('rerun-confirm').click();
    await expect(dialog).toBeHidden();

    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    // Only the fixed layer was called again.
    expect(await callsSince(page, before)).toEqual({ processPayment: 1 });
    await expect(page.getByTestId('parent-run')).toHaveAttribute('data-parent-run-id', parentRunId);
    for (const layer of ['checkInventory', 'validateCustomer', 'reserveInventory', 'createOrder']) {
      await expect(node(page, layer).getByTestId('layer-node')).toHaveAttribute(
        'data-status',
        'reused',
      );
      await expect(
        page.locator(`[data-testid=gantt-table] tr[data-layer=${layer}]`),
      ).toHaveAttribute('data-reused-from', parentRunId);
    }
    await expect(node(page, 'processPayment').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'succeeded',
    );
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '1');

    // The rerun's payment ran with the reused order's values and gave a payment.
    await page.getByTestId('inspector-tab-details').click();
    const paid = page.locator('[data-testid=attempt][data-attempt="1"]');
    await expect(paid.getByTestId('attempt-args-tree')).toContainText('39.98');
    await expect(paid.getByTestId('attempt-result-tree')).toContainText('paymentId');
    await screenshot(page, 'rerun-succeeded-1600');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTitle('Show every layer').click();
    await screenshot(page, 'rerun-succeeded-1024');

    // A reused layer says where its result comes from.
    await node(page, 'createOrder').click();
    await expect(page.getByTestId('layer-reused-from')).toContainText(parentRunId);
    await expect(page.getByTestId('layer-result-tree')).toContainText('orderId');

    await page.getByTestId('tab-timeline').click();
    await expect(page.getByTestId('ascii-timeline')).toContainText(`reused from ${parentRunId}`);
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('metric-reused')).toHaveAttribute('data-value', '4');
    await expect(page.getByTestId('ascii-metrics')).toContainText('Reused Tasks: 4');
  });

  test('rerun from a layer with a changed run input', async ({ page }) => {
    await openStudio(
      page,
      sequence('fetching', [
        { name: 'prepare', operation: 'wait', args: ['ms'] },
        { name: 'fetch', operation: 'httpFetch', args: ['url'], dependsOn: ['prepare'] },
        { name: 'after', operation: 'wait', args: ['ms'], dependsOn: ['fetch'] },
      ]),
    );
    await page.getByTestId('run-input').fill('{ "ms": 50, "url": "/missing.json" }');
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');

    await openDetails(page, 'fetch');
    await expect(page.getByTestId('attempt-error-message')).toHaveText(
      'httpFetch: /missing.json answered 404',
    );
    await expect(page.getByTestId('attempt-args-tree')).toContainText('"/missing.json"');

    const before = await operationCalls(page);
    await page.getByTestId('rerun-from-layer').click();
    const dialog = page.getByTestId('rerun-dialog');
    await expect(dialog.getByTestId('rerun-plan')).toHaveAttribute('data-rerun', 'fetch,after');
    await expect(dialog.getByTestId('rerun-plan')).toHaveAttribute('data-reused', 'prepare');
    const input = dialog.getByTestId('rerun-input');
    await expect(input).toHaveValue(/"url": "\/missing.json"/);
    await input.fill('{ "ms": 50, "url": "/api/health" }');
    await dialog.getByTestId('rerun-confirm').click();

    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    expect(await callsSince(page, before)).toEqual({ fetch: 1, after: 1 });
    await expect(page.getByTestId('attempt-args-tree')).toContainText('"/api/health"');
    await expect(page.getByTestId('run-input')).toHaveValue('{ "ms": 50, "url": "/api/health" }');
    await expect(node(page, 'prepare').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'reused',
    );
  });

  test('a rerun the engine refuses is explained, naming the layer, and cannot be started', async ({
    page,
  }) => {
    await openStudio(page, checkout);
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    // Renamed after the run: the run holds no result of `checkStock` to reuse.
    await node(page, 'checkInventory').click();
    await page.getByTestId('inspector-tab-settings').click();
    await page.getByTestId('layer-name').fill('checkStock');
    await page.getByTestId('layer-name').press('Enter');

    await openDetails(page, 'processPayment');
    await page.getByTestId('rerun-from-layer').click();
    const dialog = page.getByTestId('rerun-dialog');
    await expect(dialog.getByTestId('rerun-refused')).toContainText(
      'Layer `checkStock` is not in run',
    );
    await expect(dialog.getByTestId('rerun-confirm')).toBeDisabled();
  });

  test('clicking a Gantt bar selects its layer and opens its details at that attempt', async ({
    page,
  }) => {
    await openStudio(
      page,
      sequence('two', [
        { name: 'first', operation: 'wait', args: ['ms'] },
        { name: 'second', operation: 'wait', args: ['ms'], dependsOn: ['first'] },
      ]),
    );
    await page.getByTestId('run-input').fill('{ "ms": 300 }');
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('layer-details')).toHaveCount(0);

    const gantt = page.getByTestId('gantt');
    const box = await gantt.boundingBox();
    if (!box) throw new Error('no Gantt chart');
    // Second row (header 28 px, rows 22 px); `second` runs in the later half of the time axis (200 px of labels, 48 px of padding).
    await gantt.click({ position: { x: 200 + (box.width - 248) * 0.8, y: 28 + 22 + 11 } });

    await expect(node(page, 'second')).toHaveClass(/selected/);
    const details = page.getByTestId('layer-details');
    await expect(details).toHaveAttribute('data-layer', 'second');
    await expect(details.locator('[data-testid=attempt][data-attempt="1"]')).toHaveClass(/focused/);
    await expect(details.getByTestId('attempt-args-tree')).toContainText('300');
    await expect(details.getByTestId('attempt-result-tree')).toContainText('waitedMs');
  });

  test('a failed server run: read the failed layer, change the input, rerun it on the server', async ({
    page,
    request,
  }) => {
    // A blocked customer fails validation; with `continue`, the stock layers still succeed.
    const blocking = {
      ...orderSequence,
      layers: orderSequence.layers.map((layer) =>
        layer.name === 'validateCustomer' ? { ...layer, onError: 'continue' as const } : layer,
      ),
    };
    await openStudio(page, blocking);
    await expect(page.getByTestId('server-state')).toContainText('online');
    await page
      .getByTestId('run-input')
      .fill('{ "productId": "p-100", "quantity": 2, "customerId": "blocked-7" }');
    await page.getByTestId('run-server').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed', {
      timeout: 20_000,
    });
    const parentRunId = await runId(page);

    await openDetails(page, 'validateCustomer');
    await expect(page.getByTestId('attempt-error-message')).toHaveText(
      'Customer blocked-7 is blocked.',
    );
    await expect(page.getByTestId('attempt-args-tree')).toContainText('"blocked-7"');
    await expect(page.getByTestId('attempt-worker')).not.toHaveText('—');

    await page.getByTestId('rerun-failed').click();
    const dialog = page.getByTestId('rerun-dialog');
    await expect(dialog.getByTestId('rerun-where')).toContainText('on the server');
    await expect(dialog.getByTestId('rerun-plan')).toHaveAttribute(
      'data-rerun',
      'validateCustomer,createOrder,processPayment',
    );
    await expect(dialog.getByTestId('rerun-plan')).toHaveAttribute(
      'data-reused',
      'checkInventory,reserveInventory',
    );
    const input = dialog.getByTestId('rerun-input');
    await expect(input).toHaveValue(/"customerId": "blocked-7"/);
    await input.fill('{ "productId": "p-100", "quantity": 2, "customerId": "c-42" }');
    await dialog.getByTestId('rerun-confirm').click();
    await expect(dialog).toBeHidden();

    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 20_000,
    });
    const rerunId = await runId(page);
    expect(rerunId).not.toBe(parentRunId);
    await expect(page.getByTestId('parent-run')).toHaveAttribute('data-parent-run-id', parentRunId);
    // Three layers ran on the server's workers; the two stock layers kept their results.
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '3');
    for (const layer of ['checkInventory', 'reserveInventory'])
      await expect(node(page, layer).getByTestId('layer-node')).toHaveAttribute(
        'data-status',
        'reused',
      );
    const view = (await (await request.get(`/api/runs/${rerunId}`)).json()) as {
      parentRunId?: string;
      layers: { name: string; reusedFrom?: string; attemptCount: number }[];
    };
    expect(view.parentRunId).toBe(parentRunId);
    expect(
      Object.fromEntries(view.layers.map((layer) => [layer.name, layer.attemptCount])),
    ).toEqual({
      checkInventory: 0,
      validateCustomer: 1,
      reserveInventory: 0,
      createOrder: 1,
      processPayment: 1,
    });
    await expect(page.getByTestId('attempt-args-tree')).toContainText('"c-42"');
    await screenshot(page, 'rerun-server');

    await page.getByTestId('tab-runs').click();
    await expect(
      page.locator(`[data-testid=server-run-row][data-run-id="${rerunId}"]`),
    ).toHaveAttribute('data-parent-run-id', parentRunId);
    await expect(
      page.locator(`[data-testid=server-run-row][data-run-id="${parentRunId}"]`),
    ).not.toHaveAttribute('data-parent-run-id', /./);
    await screenshot(page, 'server-runs-rerun');
  });

  test('a run opened from a file: omitted values as badges, long values cut, the layout intact', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openStudio(page, sequence('big', [{ name: 'load', operation: 'wait' }]));
    const runId = 'run-from-file';
    const long = 'x'.repeat(20_000);
    const deep = { level1: { level2: { level3: Array.from({ length: 400 }, (_, i) => i) } } };
    const error = {
      name: 'RangeError',
      message: `Too big: ${'y'.repeat(600)}`,
      code: 'E_BIG',
      stack: `RangeError: Too big\n${'    at somewhere (file.js:1:1)\n'.repeat(60)}`,
    };
    const events = [
      {
        seq: 0,
        runId,
        time: 1000,
        type: 'run:started',
        layers: [{ name: 'load', dependsOn: [], priority: 0, operation: 'wait' }],
        concurrency: 1,
        queueType: 'FIFO',
      },
      { seq: 1, runId, time: 1001, type: 'layer:queued', layer: 'load' },
      {
        seq: 2,
        runId,
        time: 1003,
        type: 'layer:started',
        layer: 'load',
        attempt: 1,
        worker: 'worker-7',
        args: [
          long,
          { $fusync: 'omitted', reason: 'too-large', bytes: 122_880, type: 'object' },
          { $fusync: 'omitted', reason: 'not-json', type: 'function' },
          { $fusync: 'omitted', reason: 'undefined', type: 'undefined' },
          deep,
        ],
      },
      { seq: 3, runId, time: 1250, type: 'layer:failed', layer: 'load', attempt: 1, error },
      { seq: 4, runId, time: 1251, type: 'run:finished', status: 'failed', error },
    ];
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-text').fill(JSON.stringify({ events }));
    await page.getByTestId('import-submit').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');

    await openDetails(page, 'load');
    const args = page.getByTestId('attempt-args-tree');
    await expect(args.getByTestId('omitted-value')).toHaveText([
      'omitted: 120 KB',
      'function',
      'undefined',
    ]);
    await expect(args).toContainText('show all 20,000 characters');
    await expect(page.getByTestId('attempt-worker')).toHaveText('worker-7');
    await expect(page.getByTestId('attempt-wait')).toHaveText('2 ms in the queue');
    await expect(page.getByTestId('attempt-duration')).toHaveText('247 ms');
    await expect(page.getByTestId('attempt-error-message')).toContainText('Too big');
    // Opened three levels down, the 400 numbers are cut at 50 with a button for more.
    await args.getByText('level1').click();
    await args.getByText('level2').click();
    await args.getByText('level3').click();
    await expect(args.getByRole('button', { name: /show 200 more of 350/ })).toBeVisible();
    await args.getByText('show all 20,000 characters').click();

    // Nothing widens the inspector or the page.
    const inspector = await page.getByRole('complementary', { name: 'Inspector' }).boundingBox();
    expect(inspector?.width).toBeLessThanOrEqual(440);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1024);
    await screenshot(page, 'layer-details-large-values-1024');

    // A file's run reruns in the tab: the one layer runs again.
    await page.getByTestId('rerun-failed').click();
    await expect(page.getByTestId('rerun-dialog').getByTestId('rerun-where')).toContainText(
      'in this tab',
    );
  });
});
