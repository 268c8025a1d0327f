import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderSequence as demoOrderSequence } from '@fusync/demo';
import { expect, type Locator, type Page } from '@playwright/test';
import { SEQUENCE_FORMAT, SEQUENCE_VERSION, type SequenceJson } from 'fusync';

/** Where screenshots of the main views are saved (gitignored). */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

export const STORAGE_KEY = 'fusync.studio.sequence';

export function sequence(
  name: string,
  layers: SequenceJson['layers'],
  extra: Partial<SequenceJson> = {},
): SequenceJson {
  return { format: SEQUENCE_FORMAT, version: SEQUENCE_VERSION, name, layers, ...extra };
}

/** The README's order sequence, as the server's operations know it. */
export const orderSequence: SequenceJson = demoOrderSequence();

/** Opens the studio with `json` as the saved sequence (an empty one by default), as a returning visitor. */
export async function openStudio(
  page: Page,
  json: SequenceJson = sequence('e2e', []),
): Promise<void> {
  await page.goto('/');
  await page.evaluate(
    ([key, text]) => localStorage.setItem(key as string, text as string),
    [STORAGE_KEY, JSON.stringify(json)],
  );
  await page.reload();
  await expect(page.getByTestId('canvas')).toHaveAttribute(
    'data-layer-count',
    String(json.layers.length),
  );
}

export function node(page: Page, name: string): Locator {
  return page.locator(`.react-flow__node[data-id="${name}"]`);
}

/** Drags a palette operation onto the canvas at a point relative to the canvas' top-left corner. */
export async function dragOperation(
  page: Page,
  operation: string,
  at: { x: number; y: number },
): Promise<void> {
  const item = page.locator(
    `[data-testid=palette-item][data-operation="${operation}"][data-source=browser]`,
  );
  await item.scrollIntoViewIfNeeded();
  const from = await item.boundingBox();
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!from || !pane) throw new Error('palette item or canvas not found');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(pane.x + at.x, pane.y + at.y, { steps: 10 });
  await page.mouse.up();
}

/** Drags from the bottom (source) handle of `from` to the top (target) handle of `to`. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const source = await node(page, from).locator('.react-flow__handle.source').boundingBox();
  const target = await node(page, to).locator('.react-flow__handle.target').boundingBox();
  if (!source || !target) throw new Error(`handles of ${from} or ${to} not found`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** The sequence the studio saved for the next visit. */
export async function savedSequence(page: Page): Promise<SequenceJson> {
  const text = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
  return JSON.parse(text ?? 'null') as SequenceJson;
}
