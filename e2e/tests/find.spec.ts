import { expect, test } from '@playwright/test';
import { largeSequence } from '../support/fixtures';
import { node, openStudio, screenshot } from '../support/studio';

test.describe('find', () => {
  test('Ctrl+K finds a layer by name among 300, selects it and zooms to it', async ({ page }) => {
    await openStudio(page, largeSequence(300));
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('find-input');
    await expect(input).toBeFocused();
    await input.fill('layer00287');
    await expect(page.getByTestId('find-result').first()).toHaveAttribute(
      'data-name',
      'layer00287',
    );
    await screenshot(page, 'features-find');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('find-dialog')).toHaveCount(0);
    const target = node(page, 'layer00287');
    await expect(target).toHaveClass(/selected/);
    await expect(target).toBeInViewport();
    // Zoomed in to read it, not left at the fitted 300-layer view.
    await expect(target.getByTestId('layer-node')).toContainText('layer00287');
    const box = await target.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(150);
  });

  test('Ctrl+F on the canvas opens Find; an operation found is added in free space', async ({
    page,
  }) => {
    await openStudio(page);
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+f');
    await page.getByTestId('find-input').fill('processpay');
    const result = page.locator('[data-testid=find-result][data-kind=operation]').first();
    await expect(result).toHaveAttribute('data-name', 'processPayment');
    await result.click();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await expect(node(page, 'processPayment')).toBeVisible();
    await page.keyboard.press('Control+k');
    await page.getByTestId('find-input').fill('no such thing');
    await expect(page.getByTestId('find-summary')).toContainText('Nothing is named like');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('find-dialog')).toHaveCount(0);
  });

  test('the palette filters its operations as you type', async ({ page }) => {
    await openStudio(page);
    const items = page.locator('[data-testid=palette-item][data-source=browser]');
    const all = await items.count();
    await page.getByTestId('palette-filter').fill('inventory');
    await expect(items).toHaveCount(2);
    await expect(items.first()).toHaveAttribute('data-operation', /Inventory/);
    await page.getByTestId('palette-filter').fill('zzz');
    await expect(items).toHaveCount(0);
    await expect(page.getByTestId('palette-no-match')).toBeVisible();
    await page.getByTestId('palette-filter').press('Escape');
    await expect(items).toHaveCount(all);
  });
});
