import { expect, test } from '@playwright/test';
import { openStudio, orderSequence, screenshot } from '../support/studio';

async function pageBackground(page: import('@playwright/test').Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
}

test.describe('dark mode', () => {
  test('follows prefers-color-scheme, and the toggle overrides it across a reload', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openStudio(page, orderSequence);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await pageBackground(page)).toBe('rgb(13, 17, 23)');
    await page.getByTestId('simulate').click();
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '5');
    await screenshot(page, 'features-dark-1600');

    // The system turning light is followed while the preference is the system's.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

    const toggle = page.getByTestId('theme-toggle');
    await expect(toggle).toHaveAttribute('data-preference', 'system');
    await toggle.click();
    await expect(toggle).toHaveAttribute('data-preference', 'light');
    await toggle.click();
    await expect(toggle).toHaveAttribute('data-preference', 'dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await toggle.click();
    await expect(toggle).toHaveAttribute('data-preference', 'system');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });
});
