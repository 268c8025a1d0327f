import { Hono } from 'hono';
import { notFound } from '../http/api-error.js';
import { atSequenceField } from '../http/field-path.js';
import { readJsonBody } from '../http/json-body.js';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import { assertSequenceName } from './sequence-name.js';
import type { SequenceStore } from './sequence-store.js';
import { validateSequence } from './validate-sequence.js';

/** Options of the sequences router. */
export interface SequencesRoutesOptions {
  sequences: SequenceStore;
  operations: OperationCatalog;
}

/**
 * `/api/sequences`: stored sequences by name. The body of a PUT and of a GET
 * is exactly the JSON `save()` writes. A PUT is validated as a whole
 * (format, registered operations, dependencies, no cycle) before anything is
 * stored; a sequence without layers may be stored as a draft.
 */
export function sequencesRoutes({ sequences, operations }: SequencesRoutesOptions): Hono {
  const app = new Hono();

  app.get('/', async (c) => c.json({ sequences: await sequences.list() }));

  app.get('/:name', async (c) => {
    const name = assertSequenceName(c.req.param('name'));
    const sequence = await sequences.get(name);
    if (!sequence) throw notFound('sequence', name);
    return c.json(sequence);
  });

  app.put('/:name', async (c) => {
    const name = assertSequenceName(c.req.param('name'));
    const body = await readJsonBody(c);
    const { json } = await atSequenceField('', body, () =>
      validateSequence(body, operations.registry, { allowEmpty: true }),
    );
    const { created } = await sequences.put(name, json);
    if (created) c.header('Location', `/api/sequences/${name}`);
    return c.json({ name, created }, created ? 201 : 200);
  });

  app.delete('/:name', async (c) => {
    const name = assertSequenceName(c.req.param('name'));
    if (!(await sequences.delete(name))) throw notFound('sequence', name);
    return c.body(null, 204);
  });

  return app;
}
