import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { node, openStudio, orderSequence, savedSequence, screenshot } from '../support/studio';

test.describe('import and export', () => {
  test('exports the engine JSON and imports it into a fresh page identically', async ({
    page,
    browser,
  }) => {
    await openStudio(page, orderSequence);
    await node(page, 'createOrder').click();
    await page.getByTestId('layer-retries').fill('2');
    await page.getByTestId('layer-retries').press('Enter');
    await page.getByTestId('layer-expectedDuration').fill('320');
    await page.getByTestId('layer-expectedDuration').press('Enter');
    await expect
      .poll(async () => (await savedSequence(page)).studio?.nodes?.createOrder?.expectedDurationMs)
      .toBe(320);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('order-flow.fusync.json');
    const file = await download.path();
    const exported = await readFile(file, 'utf8');
    const json = JSON.parse(exported);
    expect(json.format).toBe('fusync.sequence');
    expect(json.layers[3]).toMatchObject({ name: 'createOrder', retries: 2 });
    expect(Object.keys(json.studio.nodes)).toHaveLength(5);

    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto('/');
    await fresh.evaluate(() => localStorage.clear());
    await fresh.getByTestId('open-import').click();
    await fresh.getByTestId('import-file').setInputFiles(file);
    await expect(fresh.getByTestId('import-dialog')).toHaveCount(0);
    await expect(fresh.getByTestId('canvas')).toHaveAttribute('data-layer-count', '5');
    const [again] = await Promise.all([
      fresh.waitForEvent('download'),
      fresh.getByTestId('export-download').click(),
    ]);
    expect(await readFile(await again.path(), 'utf8')).toBe(exported);
    await fresh.context().close();
  });

  test('shows a bad field of an imported sequence where it is, and changes nothing', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    const bad = structuredClone(orderSequence) as unknown as { layers: Record<string, unknown>[] };
    (bad.layers[2] as Record<string, unknown>).priority = 'high';
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-text').fill(JSON.stringify(bad, null, 2));
    await page.getByTestId('import-submit').click();
    const problem = page.getByTestId('import-problem');
    await expect(problem).toHaveCount(1);
    await expect(problem).toHaveAttribute('data-path', 'layers[2].priority');
    await expect(problem).toContainText('layers[2].priority');
    await expect(problem).toContainText('Layer reserveInventory · field priority · line');
    await expect(
      page.locator('[data-testid=import-layer-preview] li[data-bad=true]'),
    ).toHaveAttribute('data-layer', 'reserveInventory');
    await screenshot(page, 'import-error');
    await problem.click();
    const selected = await page
      .getByTestId('import-text')
      .evaluate((area: HTMLTextAreaElement) =>
        area.value.slice(area.selectionStart, area.selectionEnd),
      );
    expect(selected).toBe('"high"');
    await page
      .getByTestId('import-dialog')
      .getByRole('button', { name: 'Cancel', exact: true })
      .click();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '5');
  });

  test('reports JSON that does not parse at the root', async ({ page }) => {
    await openStudio(page);
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-text').fill('{ "format": "fusync.sequence", ');
    await page.getByTestId('import-submit').click();
    await expect(page.getByTestId('import-problem')).toContainText('not valid JSON');
  });
});
