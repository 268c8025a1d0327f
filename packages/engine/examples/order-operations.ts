/** The five order operations of the README examples, with simulated latency. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const checkInventory = async (productId: string, quantity: number) => {
  await sleep(100);
  return { productId, available: quantity <= 10 };
};

export const reserveInventory = async (productId: string, quantity: number) => {
  await sleep(120);
  return { reservationId: `res-${productId}-${quantity}` };
};

export const validateCustomer = async (customerId: string) => {
  await sleep(150);
  return { customerId, valid: true };
};

export const createOrder = async (customerId: string, productId: string, quantity: number) => {
  await sleep(130);
  return { orderId: `ord-${customerId}-${productId}`, amount: quantity * 19.99 };
};

export const processPayment = async (orderId: string, amount: number) => {
  await sleep(90);
  return { orderId, charged: Math.round(amount * 100) / 100 };
};

/** The input the examples run with. */
export const orderInput = { productId: 'sku-42', quantity: 3, customerId: 'cust-7' };
