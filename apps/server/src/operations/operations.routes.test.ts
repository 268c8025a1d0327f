import { describe, expect, it } from 'vitest';
import { testApp } from '../test-support/fixtures.js';
import type { OperationInfo } from './operation.js';

describe('GET /api/operations', () => {
  it('lists the order operations and the generic ones with description and args', async () => {
    const { app } = testApp();
    const res = await app.request('/api/operations');
    expect(res.status).toBe(200);
    const { operations } = (await res.json()) as { operations: OperationInfo[] };
    expect(operations.map((o) => o.name)).toEqual([
      'checkInventory',
      'validateCustomer',
      'reserveInventory',
      'createOrder',
      'processPayment',
      'wait',
      'flaky',
      'httpRequest',
    ]);
    for (const operation of operations) expect(operation.description.length).toBeGreaterThan(0);
    expect(operations.find((o) => o.name === 'createOrder')?.args.map((a) => a.name)).toEqual([
      'customerId',
      'productId',
      'quantity',
    ]);
    expect(operations.find((o) => o.name === 'wait')?.args).toEqual([
      { name: 'ms', type: 'number', optional: true, default: 100 },
    ]);
  });

  it('shows operations added by the user, without their functions', async () => {
    const { app } = testApp({
      extra: [
        {
          name: 'sendEmail',
          description: 'Send an email.',
          args: [{ name: 'to', type: 'string' }],
          execute: async () => 'sent',
        },
      ],
    });
    const { operations } = (await (await app.request('/api/operations')).json()) as {
      operations: Record<string, unknown>[];
    };
    expect(operations.at(-1)).toEqual({
      name: 'sendEmail',
      description: 'Send an email.',
      args: [{ name: 'to', type: 'string' }],
    });
  });
});
