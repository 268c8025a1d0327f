import { expect, type Locator, type Page, test } from '@playwright/test';
import { node, openStudio, screenshot, sequence } from '../support/studio';

type Box = { x: number; y: number; width: number; height: number };

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function boxes(locator: Locator): Promise<Box[]> {
  const all: Box[] = [];
  for (const item of await locator.all()) {
    const box = await item.boundingBox();
    if (box) all.push(box);
  }
  return all;
}

/** Pairs of nodes whose boxes overlap, as `i-j`. */
async function overlaps(page: Page): Promise<string[]> {
  const nodes = await boxes(page.locator('.react-flow__node'));
  const found: string[] = [];
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++)
      if (intersects(nodes[i] as Box, nodes[j] as Box)) found.push(`${i}-${j}`);
  return found;
}

/**
 * No two nodes overlap. Polled: the boxes are read one by one, and while the
 * viewport still moves (Fit animates) two of them can be read at different zooms.
 */
async function expectNoOverlap(page: Page): Promise<void> {
  await expect.poll(() => overlaps(page), { message: 'nodes that overlap' }).toEqual([]);
}

const one = sequence('one', [{ name: 'fetch', operation: 'wait' }], {
  studio: { nodes: { fetch: { x: 0, y: 0 } } },
});

test.describe('editing comforts', () => {
  test('New starts an empty sequence in one undo step', async ({ page }) => {
    await openStudio(page, one);
    await page.getByTestId('new-sequence').click();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '0');
    await expect(page.locator('.sequence-name')).toContainText('untitled');
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '1');
    await expect(node(page, 'fetch')).toBeVisible();
  });

  test('notices sit above the canvas, never on a node; information leaves by itself, errors stay', async ({
    page,
  }) => {
    await openStudio(page, one);
    await node(page, 'fetch').click();
    await page.keyboard.press('Control+c');
    const notice = page.getByTestId('notice');
    await expect(notice).toContainText('Copied 1 layer');
    const noticeBox = (await notice.boundingBox()) as Box;
    const pane = (await page.locator('.react-flow').boundingBox()) as Box;
    expect(pane.y).toBeGreaterThanOrEqual(noticeBox.y + noticeBox.height - 1);
    for (const box of await boxes(page.locator('.react-flow__node')))
      expect(intersects(box, noticeBox)).toBe(false);
    await expect(notice).toHaveCount(0, { timeout: 15_000 });

    await page.getByTestId('run-input').fill('not json');
    await page.getByTestId('run-browser').click();
    await expect(notice).toHaveAttribute('data-kind', 'error');
    await screenshot(page, 'features-notice-error');
    // Longer than any information notice lives.
    await page.waitForTimeout(6_000);
    await expect(notice).toBeVisible();
    await notice.getByRole('button').click();
    await expect(notice).toHaveCount(0);
  });

  test('a click on a palette item puts the layer in free space', async ({ page }) => {
    await openStudio(page, one);
    for (let i = 0; i < 4; i++)
      await page
        .locator('[data-testid=palette-item][data-operation=wait][data-source=browser]')
        .click();
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '5');
    await expectNoOverlap(page);
  });

  test('pasted copies do not cover the originals or each other', async ({ page }) => {
    await openStudio(
      page,
      sequence(
        'two',
        [
          { name: 'a', operation: 'wait' },
          { name: 'b', operation: 'wait', dependsOn: ['a'] },
        ],
        { studio: { nodes: { a: { x: 0, y: 0 }, b: { x: 0, y: 130 } } } },
      ),
    );
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.keyboard.press('Control+v');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '6');
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expectNoOverlap(page);
  });
});
