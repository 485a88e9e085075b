import { z } from 'zod';
import { eventBatchSchema } from './batch.js';
import { wireEventSchema } from './event.js';

/**
 * The wire contract as JSON Schema, by file name under `schema/`. Checks that
 * need code (RFC 3339 dates, payload depth, forbidden keys, unstorable text) are
 * not expressible here; docs/api.md and `validateEvent` have them.
 */
export function jsonSchemas(): Record<string, unknown> {
  return {
    'wire-event.schema.json': {
      $id: 'https://mcptrail.dev/schema/wire-event.schema.json',
      ...z.toJSONSchema(wireEventSchema, { io: 'input' }),
    },
    'event-batch.schema.json': {
      $id: 'https://mcptrail.dev/schema/event-batch.schema.json',
      ...z.toJSONSchema(eventBatchSchema, { io: 'input' }),
    },
  };
}
