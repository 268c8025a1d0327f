import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { largeSequence } from '../support/fixtures';
import { node, openStudio } from '../support/studio';

test.describe('a large sequence imported from a file', () => {
  test('is laid out in ranks and drawn zoomed out with its edges as one path; zooming in brings the edges back', async ({
    page,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'fusync-e2e-'));
    const file = join(dir, 'large.json');
    const json = largeSequence(600);
    writeFileSync(file, JSON.stringify(json, null, 2));
    try {
      await openStudio(page);
      await page.getByTestId('open-import').click();
      await page.getByTestId('import-file').setInputFiles(file);
      const canvas = page.getByTestId('canvas');
      await expect(canvas).toHaveAttribute('data-layer-count', '600');
      await expect(page.locator('.react-flow__node')).toHaveCount(600);
      const edges = Number(await canvas.getAttribute('data-edge-count'));
      const path = await page.getByTestId('edge-overlay').locator('path').getAttribute('d');
      expect(path?.split('M').length).toBe(edges + 1);

      // Ranks: a layer sits below the layer it depends on.
      const above = await node(page, 'layer00000').boundingBox();
      const below = await node(page, 'layer00025').boundingBox();
      expect(below && above && below.y > above.y).toBe(true);

      await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await page.keyboard.press('Control+k');
      await page.getByTestId('find-input').fill('layer00300');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('edge-overlay')).toHaveCount(0);
      await expect(page.locator('.react-flow__edge').first()).toBeAttached();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
