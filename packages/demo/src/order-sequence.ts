import type { OrderOperationName } from './order-operations.js';

/** A layer of the order sequence, as fusync's sequence JSON saves it. */
export interface OrderLayerJson {
  name: OrderOperationName;
  operation: OrderOperationName;
  args: string[];
  dependsOn?: string[];
  priority: number;
  description?: string;
}

/** The order sequence as fusync's sequence JSON (assignable to the engine's `SequenceJson`). */
export interface OrderSequenceJson {
  format: 'fusync.sequence';
  version: 1;
  name: string;
  config: { queueType: 'FIFO'; concurrency: number };
  layers: OrderLayerJson[];
}

/**
 * The README's order sequence in five layers: stock and customer checked in
 * parallel, then the reservation, the order and the payment. A new copy on
 * every call, for the caller to change.
 *
 * @example
 * const sequence = AdvancedSequenceBuilder.fromJSON(orderSequence(), {
 *   operations: orderFunctions(),
 * });
 */
export function orderSequence(): OrderSequenceJson {
  return {
    format: 'fusync.sequence',
    version: 1,
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
}
