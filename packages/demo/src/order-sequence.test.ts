import { describe, expect, it } from 'vitest';
import { createOrderOperations } from './order-operations.js';
import { orderSequence } from './order-sequence.js';

describe('order sequence', () => {
  it('gives each layer the args its operation takes', () => {
    const argsOf = new Map(
      createOrderOperations().map((o) => [o.name, o.args.map((arg) => arg.name)]),
    );
    for (const layer of orderSequence().layers)
      expect(layer.args, layer.name).toEqual(argsOf.get(layer.operation));
  });

  it('is a new copy on every call', () => {
    const first = orderSequence();
    first.layers.pop();
    expect(orderSequence().layers).toHaveLength(5);
  });
});
