import { expect, test } from '@playwright/test';
import { node, openStudio, orderSequence, screenshot } from '../support/studio';

test.describe('arguments checked while editing', () => {
  test('the inspector says where each argument comes from and flags one nothing can supply', async ({
    page,
  }) => {
    await openStudio(page, orderSequence);
    await node(page, 'checkInventory').click();
    const item = (arg: string) => page.locator(`[data-testid=args-check-item][data-arg="${arg}"]`);
    await expect(item('productId')).toHaveAttribute('data-state', 'input');
    await expect(item('quantity')).toHaveAttribute('data-state', 'input');

    // A typo in an argument is flagged at once, before any run.
    await page.getByTestId('layer-args').fill('prodctId, quantity');
    await page.getByTestId('layer-args').press('Enter');
    await expect(item('prodctId')).toHaveAttribute('data-state', 'unresolved');
    await expect(item('prodctId')).toContainText('Add `prodctId` to the run input');
    await expect(page.getByTestId('args-check')).toHaveAttribute('data-unresolved', '1');
    await screenshot(page, 'features-args-check');

    // Adding the key to the run input resolves it.
    await page
      .getByTestId('run-input')
      .fill('{ "prodctId": "p-1", "productId": "p-100", "quantity": 2, "customerId": "c-42" }');
    await expect(item('prodctId')).toHaveAttribute('data-state', 'input');

    // processPayment's arguments come from createOrder's result: named, left to the run.
    await node(page, 'processPayment').click();
    await expect(item('orderId')).toHaveAttribute('data-state', 'upstream-field');
    await expect(item('orderId')).toContainText('createOrder');
  });
});
