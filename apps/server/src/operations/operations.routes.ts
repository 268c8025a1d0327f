import { Hono } from 'hono';
import type { OperationCatalog } from './operation-catalog.js';

/** `GET /api/operations`: what a posted sequence may name. */
export function operationsRoutes(catalog: OperationCatalog): Hono {
  return new Hono().get('/', (c) => c.json({ operations: catalog.list() }));
}
