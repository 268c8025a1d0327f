import { expect, test } from '@playwright/test';
import { node, openStudio, sequence } from '../support/studio';

const small = sequence(
  'reload',
  [
    { name: 'fetch', operation: 'wait' },
    { name: 'store', operation: 'wait', dependsOn: ['fetch'] },
  ],
  { studio: { nodes: { fetch: { x: 0, y: 0 }, store: { x: 0, y: 150 } } } },
);

test.describe('a reload', () => {
  test('keeps the run input, the selected panel and the last run', async ({ page }) => {
    await openStudio(page, small);
    await page.getByTestId('run-input').fill('{ "ms": 20 }');
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('metric-tasks')).toHaveAttribute('data-value', '2');

    await page.reload();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '2');
    await expect(page.getByTestId('run-input')).toHaveValue('{ "ms": 20 }');
    await expect(page.getByTestId('tab-metrics')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('metric-tasks')).toHaveAttribute('data-value', '2');
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '2');
    await expect(node(page, 'store').getByTestId('layer-node')).toHaveAttribute(
      'data-status',
      'succeeded',
    );

    // Another panel is kept too.
    await page.getByTestId('tab-spans').click();
    await page.reload();
    await expect(page.getByTestId('tab-spans')).toHaveAttribute('aria-selected', 'true');
  });
});
