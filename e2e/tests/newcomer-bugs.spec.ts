import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { node, openStudio, orderSequence, screenshot, sequence } from '../support/studio';

/** What a newcomer tripped over (issue 12, bugs 1–12), each reproduced. */

async function importText(page: Page, text: string): Promise<void> {
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-text').fill(text);
  await page.getByTestId('import-submit').click();
}

function status(page: Page, layer: string) {
  return node(page, layer).getByTestId('layer-node');
}

/** A chain of `wait` layers (250 ms each in the browser): a run long enough to act during it. */
const chain = sequence(
  'chain',
  ['one', 'two', 'three', 'four', 'five', 'extra'].map((name, index, all) =>
    index === 0
      ? { name, operation: 'wait' }
      : { name, operation: 'wait', dependsOn: [all[index - 1] as string] },
  ),
);

test.describe('what a newcomer tripped over', () => {
  test('1. loading another sequence clears the run views; shared layer names keep no status', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    await expect(status(page, 'checkInventory')).toHaveAttribute('data-status', 'succeeded');

    await importText(
      page,
      JSON.stringify(
        sequence('other', [
          { name: 'checkInventory', operation: 'wait' },
          { name: 'ship', operation: 'wait', dependsOn: ['checkInventory'] },
        ]),
      ),
    );
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '2');
    await expect(status(page, 'checkInventory')).toHaveAttribute('data-status', 'idle');
    await expect(page.getByTestId('run-status')).toHaveCount(0);
    await expect(page.getByTestId('gantt-empty')).toBeVisible();
    await expect(page.getByTestId('critical-path')).toHaveCount(0);
  });

  test('1. a server run of another sequence says it does not match, and opens its own graph', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    await expect(page.getByTestId('server-state')).toContainText('online');
    await page.getByTestId('run-server').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 20_000,
    });
    const runId = await page.locator('[data-testid=run-summary] code').textContent();

    await importText(
      page,
      JSON.stringify(sequence('other', [{ name: 'checkInventory', operation: 'wait' }])),
    );
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await page.getByTestId('tab-runs').click();
    await page
      .locator(`[data-testid=server-run-row][data-run-id="${runId}"]`)
      .getByRole('button')
      .click();
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '5');
    const banner = page.getByTestId('run-mismatch');
    await expect(banner).toHaveAttribute('data-kind', 'other');
    await expect(banner).toContainText('does not match the canvas');
    await expect(status(page, 'checkInventory')).toHaveAttribute('data-status', 'idle');
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-mismatch', 'other');

    await page.getByTestId('open-run-graph').click();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '5');
    await expect(banner).toHaveCount(0);
    await expect(status(page, 'processPayment')).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-bar-count', '5');
  });

  test('2. at 1024×700 every toolbar control is reachable, the name shows, the minimap keeps out of the way', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openStudio(page, orderSequence);
    await expect(page.getByTestId('server-state')).toContainText('online');
    const controls = page.locator('header.toolbar button, [data-testid=server-state]');
    const count = await controls.count();
    expect(count).toBeGreaterThan(8);
    for (let i = 0; i < count; i++) {
      const control = controls.nth(i);
      const box = await control.boundingBox();
      expect(box, `toolbar control ${i}`).not.toBeNull();
      if (!box) continue;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(1024);
      // Nothing covers it and nothing clips it: the point at its centre is the control itself.
      const hit = await control.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        const at = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
        return at !== null && (element === at || element.contains(at));
      });
      expect(hit, `toolbar control ${i} is reachable`).toBe(true);
    }
    await expect(page.getByRole('button', { name: 'Save to server' })).toBeEnabled();
    const name = page.locator('.sequence-name');
    await expect(name).toBeVisible();
    expect((await name.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(80);
    await expect(name).toContainText('order-flow');

    const canvas = await page.getByTestId('canvas').boundingBox();
    const minimap = page.locator('.react-flow__minimap');
    if ((await minimap.count()) > 0 && canvas) {
      const box = await minimap.boundingBox();
      const share = ((box?.width ?? 0) * (box?.height ?? 0)) / (canvas.width * canvas.height);
      expect(share).toBeLessThan(0.12);
    }
    await screenshot(page, 'narrow-1024x700');
  });

  test('3. editing during a run marks the run as of an older version of the sequence', async ({
    page,
  }) => {
    await openStudio(page, chain);
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
    await node(page, 'extra').click();
    await page.keyboard.press('Delete');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '5');
    const banner = page.getByTestId('run-mismatch');
    await expect(banner).toHaveAttribute('data-kind', 'edited');
    await expect(banner).toContainText('removed `extra`');
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-mismatch', 'edited');
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    // The run views still show the run as it ran, and say so.
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-row-count', '6');
    await expect(banner).toContainText('Older version');
    // Undo brings the layer back: the run matches the canvas again.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '6');
    await expect(banner).toHaveCount(0);
  });

  test('4. Ctrl+wheel zooms the Gantt chart around the pointer, not the page, with no stuck tooltip', async ({
    page,
  }) => {
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    await openStudio(page, orderSequence);
    await page.getByTestId('simulate').click();
    const gantt = page.getByTestId('gantt');
    await expect(gantt).toHaveAttribute('data-bar-count', '5');
    const box = await gantt.boundingBox();
    if (!box) throw new Error('no Gantt chart');
    // Over the bar of the first row (checkInventory, from 0 to 200 ms of ~1 s).
    const x = box.x + 200 + (box.width - 248) * 0.1;
    const y = box.y + 28 + 11;
    await page.mouse.move(x, y);
    await expect(page.locator('.gantt-tooltip')).toBeVisible();

    const timeAtPointer = () =>
      gantt.evaluate((element, pointerX) => {
        const px = Number(element.dataset.pxPerMs);
        const left = element.getBoundingClientRect().left;
        return { px, ms: (element.scrollLeft + pointerX - left - 200) / px };
      }, x);
    const before = await timeAtPointer();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -120);
    await page.mouse.wheel(0, -120);
    await page.keyboard.up('Control');
    await expect(page.locator('.gantt-tooltip')).toHaveCount(0);
    expect(messages.filter((text) => /passive event listener/i.test(text))).toEqual([]);
    await expect.poll(async () => (await timeAtPointer()).px).toBeGreaterThan(before.px * 1.4);
    const after = await timeAtPointer();
    expect(Math.abs(after.ms - before.ms) * after.px).toBeLessThan(3);
    expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);
  });

  test('5. after the Replace warning, focus stays in the save dialog and Escape closes it', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    await expect(page.getByTestId('server-state')).toContainText('online');
    const save = page.getByRole('dialog', { name: 'Save to the server' });
    for (let time = 0; time < 2; time++) {
      await page.getByRole('button', { name: 'Save to server' }).click();
      await save.getByLabel('Name on the server').fill('e2e-focus');
      await save.getByRole('button', { name: 'Save', exact: true }).click();
      if (time === 0) await expect(save).toHaveCount(0);
    }
    await expect(page.getByTestId('replace-warning')).toBeVisible();
    expect(
      await save.evaluate((dialog) => dialog.contains(document.activeElement)),
      'focus is inside the dialog',
    ).toBe(true);
    await page.keyboard.press('Escape');
    await expect(save).toHaveCount(0);
  });

  test('6. Ctrl+Z in an inspector field is the studio undo, never an emptied field committed', async ({
    page,
  }) => {
    await openStudio(
      page,
      sequence('retrying', [{ name: 'fetch', operation: 'flaky', retries: 2 }]),
    );
    await node(page, 'fetch').click();
    const retries = page.getByTestId('layer-retries');
    await expect(retries).toHaveValue('2');

    // Nothing typed yet: Ctrl+Z has nothing of the field's to undo, and the blur commits nothing.
    await retries.click();
    await page.keyboard.press('Control+z');
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await node(page, 'fetch').click();
    await expect(retries).toHaveValue('2');
    await expect(node(page, 'fetch')).toContainText('↻2');

    // A committed edit, then Ctrl+Z in the field: the studio's undo, which redo can replay.
    await retries.fill('3');
    await retries.press('Enter');
    await expect(node(page, 'fetch')).toContainText('↻3');
    await retries.press('Control+z');
    await expect(retries).toHaveValue('2');
    await expect(node(page, 'fetch')).toContainText('↻2');
    await expect(page.getByRole('button', { name: 'Redo' })).toBeEnabled();
    await retries.press('Control+Shift+z');
    await expect(retries).toHaveValue('3');

    // A draft not committed: Ctrl+Z puts the field back to its saved value, the document untouched.
    await retries.fill('7');
    await retries.press('Control+z');
    await expect(retries).toHaveValue('3');
    await retries.blur();
    await expect(node(page, 'fetch')).toContainText('↻3');
  });

  test('7. simulated runs are marked as simulated on the canvas, in the Gantt chart and once saved and opened again', async ({
    page,
  }) => {
    await openStudio(
      page,
      sequence('doomed', [
        { name: 'broken', operation: 'fail' },
        { name: 'fine', operation: 'wait' },
      ]),
    );
    await page.getByTestId('simulate').click();
    await expect(status(page, 'broken')).toHaveAttribute('data-simulated', 'true');
    await expect(status(page, 'broken').locator('.badge.sim')).toBeVisible();
    await expect(status(page, 'broken').locator('.status-chip')).toHaveClass(/simulated/);
    await expect(page.getByTestId('gantt-simulated')).toBeVisible();
    await expect(page.getByTestId('gantt')).toHaveAttribute('data-simulated', 'true');
    await expect(page.getByTestId('run-status')).toContainText('simulated');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('save-events').click(),
    ]);
    const file = await download.path();
    const saved = JSON.parse(await readFile(file, 'utf8')) as { simulated?: boolean };
    expect(saved.simulated).toBe(true);

    await page.reload();
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await expect(page.getByTestId('notice')).toContainText('Opened simulated run');
    await expect(page.getByTestId('gantt-simulated')).toBeVisible();
    await expect(page.getByTestId('run-summary')).toContainText('simulated');
    await expect(page.getByTestId('run-summary')).toContainText('from a file');
    await expect(status(page, 'broken')).toHaveAttribute('data-simulated', 'true');
  });

  test('9. the critical path never runs through a skipped layer', async ({ page }) => {
    await openStudio(
      page,
      sequence('payment', [
        { name: 'fetchOrder', operation: 'wait' },
        { name: 'chargeCard', operation: 'fail', dependsOn: ['fetchOrder'] },
        { name: 'sendReceipt', operation: 'wait', dependsOn: ['chargeCard'] },
      ]),
    );
    await page.getByTestId('run-browser').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    await expect(status(page, 'sendReceipt')).toHaveAttribute('data-status', 'skipped');
    await expect(page.getByTestId('gantt')).toHaveAttribute(
      'data-critical-path',
      'fetchOrder -> chargeCard',
    );
    await expect(
      page.locator('[data-testid=gantt-table] tr[data-layer=sendReceipt]'),
    ).toHaveAttribute('data-critical', 'false');
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('ascii-metrics')).not.toContainText('sendReceipt');
  });

  test('10. import lists every problem in one pass, in the words of the studio', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    await importText(
      page,
      JSON.stringify(
        sequence('broken', [
          { name: 'a', operation: 'wait', priority: 'high' } as never,
          { name: 'a', operation: 'wait' },
          { name: 'b', operation: 'wait', dependsOn: ['zzz', 'c'] },
          { name: 'c', operation: 'wait', dependsOn: ['b'] },
        ]),
        null,
        2,
      ),
    );
    const problems = page.getByTestId('import-problem');
    await expect(problems).toHaveCount(4);
    await expect(problems.nth(0)).toHaveAttribute('data-path', 'layers[0].priority');
    await expect(problems.nth(1)).toContainText('Two layers are named `a`');
    await expect(problems.nth(2)).toContainText('no layer has that name');
    await expect(problems.nth(3)).toContainText('c -> b -> c');
    await expect(page.getByTestId('import-problems')).not.toContainText('removeLayer');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '5');
    await screenshot(page, 'import-all-problems');
  });

  test('11. names are not cut where there is room, and are shown in full where they must be cut', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openStudio(
      page,
      sequence(
        'names',
        [
          { name: 'payment', operation: 'processPayment', priority: 4, retries: 2 },
          { name: 'fetchCustomerProfileFromCrm', operation: 'wait' },
        ],
        {
          studio: {
            nodes: { payment: { x: 0, y: 0 }, fetchCustomerProfileFromCrm: { x: 0, y: 140 } },
          },
        },
      ),
    );
    await page.getByTestId('simulate').click();
    const op = node(page, 'payment').locator('.op');
    await expect(op).toHaveText('processPayment');
    expect(await op.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await expect(op).toHaveAttribute('title', /processPayment/);

    const items = page.locator('[data-testid=palette-item]');
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      await item.scrollIntoViewIfNeeded();
      const card = await item.boundingBox();
      const tag = await item.locator('.source-tag').boundingBox();
      if (!card || !tag) throw new Error('palette item without a tag');
      expect(tag.x + tag.width, `tag of palette item ${i}`).toBeLessThanOrEqual(
        card.x + card.width,
      );
    }

    await page.getByTestId('tab-timeline').click();
    await expect(page.getByTestId('ascii-timeline')).toContainText('fetchCustomerP│');
    await expect(page.getByTestId('cut-names')).toContainText('fetchCustomerProfileFromCrm');
    await page.getByTestId('tab-graph').click();
    await expect(page.getByTestId('cut-names')).toContainText('fetchCustomerProfileFromCrm');
  });

  test('12. focus ring on nodes, arrow keys on tabs, a named notice close, a dependency added by keyboard', async ({
    page,
  }) => {
    await openStudio(
      page,
      sequence(
        'keys',
        [
          { name: 'first', operation: 'wait' },
          { name: 'second', operation: 'wait' },
        ],
        { studio: { nodes: { first: { x: 0, y: 0 }, second: { x: 0, y: 160 } } } },
      ),
    );
    // Tab reaches a node, which shows a focus ring.
    let onNode = false;
    for (let i = 0; i < 80 && !onNode; i++) {
      await page.keyboard.press('Tab');
      onNode = await page.evaluate(
        () => document.activeElement?.classList.contains('react-flow__node') ?? false,
      );
    }
    expect(onNode).toBe(true);
    const ring = await page.evaluate(() => {
      const inner = document.activeElement?.querySelector('.layer-node');
      return inner ? getComputedStyle(inner).outlineStyle : 'none';
    });
    expect(ring).not.toBe('none');

    // Arrow keys move between the run panel's tabs, and between the views beside the Gantt chart.
    await page.getByTestId('tab-gantt').click();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-spans')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('tab-spans')).toBeFocused();
    await page.keyboard.press('End');
    await expect(page.getByTestId('tab-runs')).toBeFocused();
    await page.keyboard.press('Home');
    await expect(page.getByTestId('tab-gantt')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('tab-runs')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('tab-gantt').click();
    await page.getByTestId('tab-timeline').click();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-graph')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('tab-graph')).toBeFocused();

    // A dependency added from the inspector, with the keyboard only.
    await node(page, 'second').click();
    const add = page.getByTestId('add-dependency');
    await add.focus();
    await add.selectOption('first');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-edge-count', '1');
    await expect(page.getByTestId('layer-depends-on')).toContainText('first');
    // The other way round would close a cycle: refused, with the path.
    await node(page, 'first').click();
    await page.getByTestId('add-dependency').selectOption('second');
    await expect(page.getByTestId('notice')).toContainText('would close a cycle');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-edge-count', '1');

    // The notice's close button says what it closes.
    await page.getByRole('button', { name: 'Dismiss notice' }).click();
    await expect(page.getByTestId('notice')).toHaveCount(0);
  });
});
