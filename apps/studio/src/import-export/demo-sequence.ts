import { SEQUENCE_FORMAT, SEQUENCE_VERSION, type SequenceJson } from 'fusync';

/** The README's order example: what a first visit opens, laid out automatically. */
export const demoSequence: SequenceJson = {
  format: SEQUENCE_FORMAT,
  version: SEQUENCE_VERSION,
  name: 'order-flow',
  config: { queueType: 'FIFO', concurrency: 3 },
  layers: [
    {
      name: 'checkInventory',
      operation: 'checkInventory',
      args: ['productId', 'quantity'],
      priority: 1,
      description: 'Check product inventory',
    },
    {
      name: 'validateCustomer',
      operation: 'validateCustomer',
      args: ['customerId'],
      priority: 1,
      description: 'Validate the customer',
    },
    {
      name: 'reserveInventory',
      operation: 'reserveInventory',
      args: ['productId', 'quantity'],
      dependsOn: ['checkInventory'],
      priority: 2,
    },
    {
      name: 'createOrder',
      operation: 'createOrder',
      args: ['customerId', 'productId', 'quantity'],
      dependsOn: ['validateCustomer', 'reserveInventory'],
      priority: 3,
    },
    {
      name: 'processPayment',
      operation: 'processPayment',
      args: ['orderId', 'amount'],
      dependsOn: ['createOrder'],
      priority: 4,
    },
  ],
};
