import { expect, type Page, test } from '@playwright/test';
import type { SequenceJson } from 'fusync';
import { largeSequence } from '../support/fixtures';
import { node, openStudio, savedSequence, screenshot, sequence } from '../support/studio';

const shared = sequence(
  'shared-orders',
  [
    { name: 'fetchOrder', operation: 'wait', retries: 1 },
    { name: 'chargeCard', operation: 'processPayment', dependsOn: ['fetchOrder'], priority: 3 },
  ],
  {
    config: { concurrency: 2, maxRetries: 1 },
    studio: {
      nodes: {
        fetchOrder: { x: 40, y: 20 },
        chargeCard: { x: 320, y: 200, expectedDurationMs: 150 },
      },
    },
  },
);

const mine = sequence('my-work', [{ name: 'myLayer', operation: 'wait' }], {
  studio: { nodes: { myLayer: { x: 0, y: 0 } } },
});

async function shareLinkOf(page: Page): Promise<string> {
  await page.getByTestId('share-open').click();
  const input = page.getByTestId('share-link');
  await expect(input).toHaveValue(/#share=1\./);
  const link = await input.inputValue();
  await page.getByTestId('share-dialog').getByRole('button', { name: 'Close' }).first().click();
  return link;
}

test.describe('share by link', () => {
  test('puts the whole sequence into the link; a fresh browser opens the same canvas', async ({
    page,
    browser,
  }) => {
    await openStudio(page, shared);
    await page.getByTestId('share-open').click();
    await expect(page.getByTestId('share-link')).toHaveValue(/#share=1\.[A-Za-z0-9_-]+$/);
    await expect(page.getByTestId('share-length')).toContainText('characters');
    await screenshot(page, 'features-share-dialog');
    const link = await page.getByTestId('share-link').inputValue();
    // Nothing of the sequence travels outside the fragment.
    expect(new URL(link).search).toBe('');

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(other.getByTestId('canvas')).toHaveAttribute('data-layer-count', '2');
    await expect(node(other, 'chargeCard')).toBeVisible();
    // A fresh browser has nothing to lose: no question asked, the fragment is dropped from the address.
    await expect(other.getByTestId('share-confirm')).toHaveCount(0);
    expect(new URL(other.url()).hash).toBe('');
    await expect.poll(async () => savedSequence(other)).toEqual(shared as SequenceJson);
    await fresh.close();
  });

  test('never replaces the user’s work without a confirmation, and undo brings it back', async ({
    page,
  }) => {
    await openStudio(page, shared);
    const link = await shareLinkOf(page);

    await openStudio(page, mine);
    await page.goto(link);
    const confirm = page.getByTestId('share-confirm');
    await expect(confirm).toContainText('shared-orders');
    await expect(confirm).toContainText('my-work');
    await screenshot(page, 'features-share-confirm');
    await page.getByTestId('share-decline').click();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await expect(node(page, 'myLayer')).toBeVisible();

    await page.goto(link);
    await page.getByTestId('share-accept').click();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '2');
    await expect(node(page, 'fetchOrder')).toBeVisible();
    await expect(page.getByTestId('notice')).toContainText('Ctrl+Z brings back');

    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await expect(node(page, 'myLayer')).toBeVisible();
  });

  test('a damaged link says so and changes nothing', async ({ page }) => {
    await openStudio(page, mine);
    await page.goto('/#share=1.AAAA-not-deflate');
    await expect(page.getByTestId('notice')).toContainText('This link is damaged');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
  });

  test('a link too long to travel says so and offers the JSON file instead', async ({ page }) => {
    // Layers with long descriptions compress poorly: far beyond the 8,000-character limit.
    const big = largeSequence(400);
    big.layers = big.layers.map((layer, i) => ({
      ...layer,
      description: `${i.toString(36)} ${Math.sin(i).toString(36)} ${Math.cos(i * 7).toString(36)}`,
    }));
    await openStudio(page, big);
    await page.getByTestId('share-open').click();
    await expect(page.getByTestId('share-too-long')).toContainText('8,000');
    await expect(page.getByTestId('share-link')).toHaveCount(0);
    await screenshot(page, 'features-share-too-long');
    const download = page.waitForEvent('download');
    await page.getByTestId('share-download').click();
    expect((await download).suggestedFilename()).toBe('large-400.fusync.json');
  });
});
