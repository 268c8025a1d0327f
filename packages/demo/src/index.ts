export { delay } from './delay.js';
export { type OperationContext, splitContext } from './operation-context.js';
export {
  createOrderOperations,
  type OrderIdKind,
  type OrderOperation,
  type OrderOperationArg,
  type OrderOperationName,
  type OrderOperationsOptions,
  orderFunctions,
} from './order-operations.js';
export { type OrderLayerJson, type OrderSequenceJson, orderSequence } from './order-sequence.js';
