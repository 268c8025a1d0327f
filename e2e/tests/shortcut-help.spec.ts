import { expect, test } from '@playwright/test';
import { openStudio, screenshot } from '../support/studio';

test.describe('shortcut help', () => {
  test('? lists every keyboard shortcut; Escape closes it; typing ? in a field does not open it', async ({
    page,
  }) => {
    await openStudio(page);
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await expect(help).toBeVisible();
    for (const text of ['Ctrl K', 'Undo', 'Redo', 'Copy / paste', 'Delete the selection'])
      await expect(help).toContainText(text);
    await screenshot(page, 'features-shortcut-help');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);

    await page.getByTestId('run-input').click();
    await page.keyboard.press('?');
    await expect(help).toHaveCount(0);
    await page.getByTestId('open-shortcut-help').click();
    await expect(help).toBeVisible();
  });
});
