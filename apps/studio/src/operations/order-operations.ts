import { sleep, splitArguments } from './context';

/**
 * The five order operations of the README, with simulated latency so a run
 * in the browser looks like the README's timeline.
 */

export async function checkInventory(
  ...values: unknown[]
): Promise<{ productId: unknown; available: number; inStock: boolean }> {
  const { args, context } = splitArguments(values);
  await sleep(200, context.signal);
  const quantity = Number(args[1] ?? 1);
  return { productId: args[0], available: 25, inStock: quantity <= 25 };
}

export async function validateCustomer(
  ...values: unknown[]
): Promise<{ customerId: unknown; valid: boolean }> {
  const { args, context } = splitArguments(values);
  await sleep(250, context.signal);
  return { customerId: args[0], valid: true };
}

export async function reserveInventory(
  ...values: unknown[]
): Promise<{ reservationId: string; quantity: number }> {
  const { args, context } = splitArguments(values);
  await sleep(200, context.signal);
  return { reservationId: `res-${String(args[0] ?? 'item')}`, quantity: Number(args[1] ?? 1) };
}

export async function createOrder(
  ...values: unknown[]
): Promise<{ orderId: string; amount: number }> {
  const { args, context } = splitArguments(values);
  await sleep(250, context.signal);
  const quantity = Number(args[2] ?? 1);
  return {
    orderId: `order-${String(args[0] ?? 'guest')}-${context.runId.slice(0, 6)}`,
    amount: Math.round(quantity * 19.99 * 100) / 100,
  };
}

export async function processPayment(
  ...values: unknown[]
): Promise<{ paymentId: string; charged: unknown }> {
  const { args, context } = splitArguments(values);
  await sleep(300, context.signal);
  return { paymentId: `pay-${String(args[0] ?? 'order')}`, charged: args[1] };
}
