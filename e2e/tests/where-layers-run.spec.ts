import { expect, test } from '@playwright/test';
import { node, openStudio, screenshot, sequence } from '../support/studio';

const mixed = sequence(
  'mixed',
  [
    { name: 'start', operation: 'wait' },
    { name: 'boom', operation: 'fail', dependsOn: ['start'] },
    { name: 'callApi', operation: 'httpRequest', dependsOn: ['start'] },
    { name: 'mystery', operation: 'notAnOperation' },
  ],
  {
    studio: {
      nodes: {
        start: { x: 0, y: 0 },
        boom: { x: -150, y: 150 },
        callApi: { x: 150, y: 150 },
        mystery: { x: 400, y: 0 },
      },
    },
  },
);

test.describe('where a layer can run', () => {
  test('the canvas marks browser-only and server-only layers; the run buttons name what cannot run there', async ({
    page,
  }) => {
    await openStudio(page, mixed);
    await expect(page.getByTestId('server-state')).toContainText('online');
    await expect(node(page, 'boom').getByTestId('where-badge')).toHaveAttribute(
      'data-where',
      'browser',
    );
    await expect(node(page, 'callApi').getByTestId('where-badge')).toHaveAttribute(
      'data-where',
      'server',
    );
    await expect(node(page, 'start').getByTestId('where-badge')).toHaveCount(0);
    await expect(node(page, 'mystery')).toContainText('unbound');

    await expect(page.getByTestId('cannot-run-browser')).toHaveAttribute(
      'data-layers',
      'callApi,mystery',
    );
    await expect(page.getByTestId('cannot-run-server')).toHaveAttribute(
      'data-layers',
      'boom,mystery',
    );
    await expect(page.getByTestId('run-browser')).toHaveAttribute(
      'title',
      /2 layers cannot run in the browser: `callApi`, `mystery`/,
    );
    await expect(page.getByTestId('run-server')).toHaveAttribute('title', /`boom`, `mystery`/);
    await screenshot(page, 'features-where-layers-run');

    // The operation is chosen from the known ones; the marks follow.
    await node(page, 'mystery').click();
    await expect(page.getByTestId('layer-where')).toHaveAttribute('data-where', 'unbound');
    await page.getByTestId('layer-operation-pick').selectOption('wait');
    await expect(page.getByTestId('layer-operation')).toHaveValue('wait');
    await expect(page.getByTestId('layer-where')).toHaveAttribute('data-where', 'both');
    await expect(node(page, 'mystery')).not.toContainText('unbound');
    await expect(page.getByTestId('cannot-run-browser')).toHaveAttribute('data-layers', 'callApi');
    // Free text is still taken, for operations bound later.
    await page.getByTestId('layer-operation').fill('boundLater');
    await page.getByTestId('layer-operation').press('Enter');
    await expect(node(page, 'mystery')).toContainText('unbound');
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await expect(node(page, 'mystery')).not.toContainText('unbound');
  });
});
