import { expect, type Page, test } from '@playwright/test';
import { openStudio, screenshot, sequence } from '../support/studio';

const small = sequence(
  'split',
  [
    { name: 'fetch', operation: 'wait' },
    { name: 'transformEverything', operation: 'wait', dependsOn: ['fetch'] },
    { name: 'audit', operation: 'wait' },
  ],
  {
    studio: {
      nodes: {
        fetch: { x: 0, y: 0 },
        transformEverything: { x: 0, y: 160 },
        audit: { x: 260, y: 0 },
      },
    },
  },
);

/**
 * Problems with the Gantt toolbar as laid out: a legend item or button outside the toolbar, the
 * legend, critical-path summary and buttons overlapping, or the summary squeezed out of sight.
 */
async function ganttToolbarProblems(page: Page): Promise<string[]> {
  return page.locator('.gantt-toolbar').evaluate((toolbar) => {
    const problems: string[] = [];
    const box = toolbar.getBoundingClientRect();
    const named = (selector: string) => {
      const element = toolbar.querySelector(selector);
      if (!element) throw new Error(`no ${selector} in the Gantt toolbar`);
      return element.getBoundingClientRect();
    };
    for (const item of toolbar.querySelectorAll('.legend-item, .zoom button')) {
      const r = item.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.width === 0)
        problems.push(`"${item.textContent}" is not whole inside the toolbar`);
    }
    const parts = {
      legend: named('.legend'),
      summary: named('.gantt-summary'),
      buttons: named('.zoom'),
    };
    if (parts.summary.width < 80) problems.push(`the summary is ${parts.summary.width}px wide`);
    const entries = Object.entries(parts);
    for (const [i, [a, ra]] of entries.entries())
      for (const [b, rb] of entries.slice(i + 1)) {
        const overlap =
          Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 0.5 &&
          Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 0.5;
        if (overlap) problems.push(`the ${a} and the ${b} overlap`);
      }
    return problems;
  });
}

test.describe('the run tab', () => {
  test('shows the Gantt chart and the ASCII timeline at once after a run, the ASCII side switchable and resizable', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await openStudio(page, small);
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');

    const gantt = page.getByTestId('gantt');
    const timeline = page.getByTestId('ascii-timeline');
    await expect(gantt).toHaveAttribute('data-bar-count', '3');
    await expect(timeline).toContainText('--- Execution Timeline ---');
    await expect(gantt).toBeVisible();
    await expect(timeline).toBeVisible();
    // Side by side: the timeline starts right of the Gantt chart.
    const ganttBox = await gantt.boundingBox();
    const timelineBox = await timeline.boundingBox();
    expect(ganttBox && timelineBox && timelineBox.x >= ganttBox.x + ganttBox.width).toBe(true);
    await expect(page.getByTestId('copy-timeline')).toBeVisible();
    // The Gantt half's toolbar wraps rather than cut the legend or squeeze the critical path out.
    expect(await ganttToolbarProblems(page)).toEqual([]);
    await screenshot(page, 'features-run-split-1600');

    // The ASCII side switches between the timeline, the graph and the metrics; the Gantt chart stays.
    await page.getByTestId('tab-graph').click();
    await expect(page.getByTestId('ascii-graph')).toContainText('audit');
    await expect(page.getByTestId('copy-graph')).toBeVisible();
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('ascii-metrics')).toContainText('Success Rate: 100.00%');
    await expect(gantt).toBeVisible();
    await expect(page.getByTestId('tab-gantt')).toHaveAttribute('aria-selected', 'true');

    // Dragging the bar between them gives the Gantt chart more room; the arrow keys too.
    const handle = page.getByTestId('run-split-handle');
    const before = (await page.getByTestId('run-split-gantt').boundingBox())?.width ?? 0;
    const at = await handle.boundingBox();
    if (!at) throw new Error('no split handle');
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await page.mouse.down();
    await page.mouse.move(at.x + 200, at.y + at.height / 2, { steps: 8 });
    await page.mouse.up();
    const wider = (await page.getByTestId('run-split-gantt').boundingBox())?.width ?? 0;
    expect(wider).toBeGreaterThan(before + 150);
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const narrower = (await page.getByTestId('run-split-gantt').boundingBox())?.width ?? 0;
    expect(narrower).toBeLessThan(wider - 50);
    await expect(handle).toHaveAttribute('aria-valuenow', /\d+/);

    await page.getByTestId('tab-timeline').click();
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect(gantt).toBeVisible();
    await expect(timeline).toBeVisible();
    expect(await ganttToolbarProblems(page)).toEqual([]);
    await screenshot(page, 'features-run-split-1024');
  });
});
