import { expect, test } from '@playwright/test';
import {
  connect,
  dragOperation,
  node,
  openStudio,
  savedSequence,
  screenshot,
  sequence,
} from '../support/studio';

test.describe('editor', () => {
  test('drags operations onto the canvas, each a layer with a unique name', async ({ page }) => {
    await openStudio(page);
    await expect(page.getByText('An empty sequence')).toBeVisible();
    await dragOperation(page, 'checkInventory', { x: 300, y: 80 });
    await expect(node(page, 'checkInventory')).toBeVisible();
    await dragOperation(page, 'checkInventory', { x: 300, y: 260 });
    await expect(node(page, 'checkInventory2')).toBeVisible();
    await expect(page.getByTestId('layer-inspector')).toHaveAttribute(
      'data-layer',
      'checkInventory2',
    );
    await expect(page.getByTestId('layer-args')).toHaveValue('productId, quantity');
  });

  test('connects two layers and refuses a connection that closes a cycle', async ({ page }) => {
    await openStudio(page);
    await dragOperation(page, 'wait', { x: 250, y: 60 });
    await dragOperation(page, 'flaky', { x: 250, y: 260 });
    await connect(page, 'wait', 'flaky');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-edge-count', '1');
    await node(page, 'flaky').click();
    await expect(page.getByTestId('layer-depends-on')).toContainText('wait');

    await connect(page, 'flaky', 'wait');
    const notice = page.getByTestId('notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('would close a cycle: wait -> flaky -> wait');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-edge-count', '1');
    await screenshot(page, 'editor-cycle-refused');
  });

  test('edits a priority with inline validation, undo and redo', async ({ page }) => {
    await openStudio(
      page,
      sequence('priorities', [{ name: 'a', operation: 'wait' }], {
        studio: { nodes: { a: { x: 0, y: 0 } } },
      }),
    );
    await node(page, 'a').click();
    const priority = page.getByTestId('layer-priority');
    await priority.fill('abc');
    await expect(page.getByTestId('field-error')).toContainText(
      /expected `priority` to be .*, got `'abc'`/,
    );
    await priority.fill('5');
    await expect(page.getByTestId('field-error')).toHaveCount(0);
    await priority.press('Enter');
    await expect(node(page, 'a')).toContainText('P5');
    await expect.poll(async () => (await savedSequence(page)).layers[0]?.priority).toBe(5);
    await screenshot(page, 'editor-inspector');

    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await expect(node(page, 'a')).not.toContainText('P5');
    await page.keyboard.press('Control+Shift+z');
    await expect(node(page, 'a')).toContainText('P5');
  });

  test('deletes, copies and pastes with the keyboard, and keeps the sequence across a reload', async ({
    page,
  }) => {
    await openStudio(
      page,
      sequence(
        'keys',
        [
          { name: 'a', operation: 'wait' },
          { name: 'b', operation: 'wait', dependsOn: ['a'] },
        ],
        { studio: { nodes: { a: { x: 0, y: 0 }, b: { x: 0, y: 160 } } } },
      ),
    );
    await node(page, 'a').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect(node(page, 'a2')).toBeVisible();
    await page.keyboard.press('Delete');
    await expect(node(page, 'a2')).toHaveCount(0);
    await node(page, 'b').click();
    await page.keyboard.press('Delete');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await expect
      .poll(async () => (await savedSequence(page)).layers.map((layer) => layer.name))
      .toEqual(['a']);
    await page.reload();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await expect(node(page, 'a')).toBeVisible();
  });
});
