import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import type { SequenceJson } from 'fusync';
import { node, openStudio, orderSequence, screenshot, sequence } from '../support/studio';

interface Listed {
  name: string;
  layerCount: number;
}

/** The JSON the studio's Export downloads right now. */
async function exported(page: Page): Promise<SequenceJson> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-download').click(),
  ]);
  return JSON.parse(await readFile(await download.path(), 'utf8')) as SequenceJson;
}

async function openServerStudio(page: Page, json: SequenceJson): Promise<void> {
  await openStudio(page, json);
  await expect(page.getByTestId('server-state')).toContainText('online');
}

test.describe('sequences stored on the server', () => {
  test('saves the canvas, opens it back over a changed canvas as one undo step, and deletes it', async ({
    page,
    request,
  }) => {
    const name = 'e2e-orders';
    const draft = 'e2e-draft';
    await openServerStudio(page, orderSequence);
    const canvas = page.getByTestId('canvas');

    await page.getByRole('button', { name: 'Save to server' }).click();
    const save = page.getByRole('dialog', { name: 'Save to the server' });
    const field = save.getByLabel('Name on the server');
    await expect(field).toHaveValue('order-flow');
    await field.fill(name);
    await save.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(save).toHaveCount(0);
    await expect(page.getByTestId('notice')).toContainText(
      `Saved \`${name}\` on the server: 5 layers.`,
    );

    const listed = (await (await request.get('/api/sequences')).json()) as { sequences: Listed[] };
    expect(listed.sequences).toContainEqual({
      name,
      title: 'order-flow',
      layerCount: 5,
      updatedAt: expect.any(Number),
    });
    const stored = (await (await request.get(`/api/sequences/${name}`)).json()) as SequenceJson;
    expect(stored).toEqual(await exported(page));
    expect(Object.keys(stored.studio?.nodes ?? {})).toHaveLength(5);

    // The same name again: the studio asks before replacing it.
    await page.getByRole('button', { name: 'Save to server' }).click();
    await expect(field).toHaveValue(name);
    await save.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(save.getByTestId('replace-warning')).toContainText(
      `${name} already exists on the server (5 layers`,
    );
    await screenshot(page, 'server-save-replace');
    await save.getByRole('button', { name: 'Replace', exact: true }).click();
    await expect(save).toHaveCount(0);
    await expect(page.getByTestId('notice')).toContainText(`Replaced \`${name}\` on the server`);

    await node(page, 'processPayment').click();
    await page.keyboard.press('Delete');
    await expect(canvas).toHaveAttribute('data-layer-count', '4');

    const empty = sequence('draft', []);
    expect((await request.put(`/api/sequences/${draft}`, { data: empty })).status()).toBe(201);
    await page.getByRole('button', { name: 'Open from server' }).click();
    const open = page.getByRole('dialog', { name: 'Open from the server' });
    const row = open.locator(`[data-testid=stored-sequence][data-name="${name}"]`);
    await expect(row).toContainText('5 layers');
    await expect(open.locator(`[data-testid=stored-sequence][data-name="${draft}"]`)).toContainText(
      '0 layers',
    );
    await screenshot(page, 'server-sequences');
    await row.getByRole('button', { name: `Open ${name}`, exact: true }).click();
    await expect(open).toHaveCount(0);
    await expect(canvas).toHaveAttribute('data-layer-count', '5');
    await expect(node(page, 'processPayment')).toBeVisible();
    expect(await exported(page)).toEqual(stored);

    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect(canvas).toHaveAttribute('data-layer-count', '4');
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect(canvas).toHaveAttribute('data-layer-count', '5');

    await page.getByRole('button', { name: 'Open from server' }).click();
    await row.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await expect(row).toContainText('Delete it from the server?');
    await row.getByRole('button', { name: `Confirm deleting ${name}`, exact: true }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId('notice')).toContainText(`Deleted \`${name}\` from the server.`);
    const after = (await (await request.get('/api/sequences')).json()) as { sequences: Listed[] };
    expect(after.sequences.map((entry) => entry.name)).not.toContain(name);
    expect((await request.get(`/api/sequences/${name}`)).status()).toBe(404);
    await expect(canvas).toHaveAttribute('data-layer-count', '5');
    expect((await request.delete(`/api/sequences/${draft}`)).status()).toBe(204);
  });

  test("shows the server's refusal in the dialog and loses neither the name nor the canvas", async ({
    page,
    request,
  }) => {
    const browserOnly = sequence('browser-only', [
      { name: 'boom', operation: 'fail' },
      { name: 'after', operation: 'wait', dependsOn: ['boom'] },
    ]);
    await openServerStudio(page, browserOnly);
    await page.getByRole('button', { name: 'Save to server' }).click();
    const save = page.getByRole('dialog', { name: 'Save to the server' });
    const field = save.getByLabel('Name on the server');
    const submit = save.getByRole('button', { name: 'Save', exact: true });

    await field.fill('no.dots');
    await expect(save.getByText('Use only letters, digits, `_` or `-`.')).toBeVisible();
    await expect(submit).toBeDisabled();

    await field.fill('e2e-refused');
    await submit.click();
    await expect(save.getByTestId('save-server-error')).toContainText(
      'Layer `boom` uses operation `fail`, which is not registered.',
    );
    await expect(save.getByTestId('save-server-error')).toContainText('layers[0].operation');
    await screenshot(page, 'server-save-error');
    await expect(field).toHaveValue('e2e-refused');
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-layer-count', '2');
    expect((await request.get('/api/sequences/e2e-refused')).status()).toBe(404);
    await save.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(save).toHaveCount(0);
  });

  test('lists a damaged stored sequence as not openable, with the reason', async ({ page }) => {
    const reason = 'Unexpected end of JSON input';
    // Only a store on disk can hold a damaged file; this is what it lists for one.
    await page.route('**/api/sequences', (route) =>
      route.fulfill({
        json: {
          sequences: [{ name: 'damaged', layerCount: 0, updatedAt: Date.now(), error: reason }],
        },
      }),
    );
    await openServerStudio(page, orderSequence);
    await page.getByRole('button', { name: 'Open from server' }).click();
    const row = page
      .getByRole('dialog', { name: 'Open from the server' })
      .locator('[data-testid=stored-sequence][data-name="damaged"]');
    await expect(row.getByRole('alert')).toHaveText(`Cannot be opened: ${reason}`);
    await expect(row.getByRole('button', { name: 'Open damaged', exact: true })).toBeDisabled();
    await expect(row.getByRole('button', { name: 'Delete damaged', exact: true })).toBeEnabled();
  });

  test('keeps the server buttons off, with the reason, when no server answers', async ({
    page,
  }) => {
    await page.route('**/api/health', (route) => route.abort());
    await openStudio(page);
    await expect(page.getByTestId('server-state')).toContainText('offline');
    for (const name of ['Save to server', 'Open from server']) {
      const button = page.getByRole('button', { name });
      await expect(button).toBeDisabled();
      await expect(button).toHaveAttribute('title', 'No server answers at /api');
    }
  });
});
