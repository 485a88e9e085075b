import type { Kysely } from 'kysely';
import { type BodyParts, bodySource, decodeBody, type EventBody, unpackBlock } from '../event-body.js';
import type { StoredEvent } from '../records.js';
import type { Database, EventRow } from '../schema.js';
import { toStoredEvent } from './from-rows.js';

/**
 * Reads stored event bodies: loads the blocks they point into (docs/adr/0207)
 * and, for bodies stored before blocks, the project dictionaries they were
 * compressed with (migration 0006). Dictionaries never change once stored, so
 * they are cached per process; blocks are read per call.
 */
export class BodyReader {
  private readonly dictionaries = new Map<string, Map<number, Uint8Array>>();

  /** Event rows as records, their bodies decoded. */
  async storedEvents(db: Kysely<Database>, projectId: string, rows: readonly EventRow[]): Promise<StoredEvent[]> {
    const bodies = await this.readBodies(db, projectId, rows);
    return rows.map((row, i) => toStoredEvent(row, bodies[i]!));
  }

  private async readBodies(db: Kysely<Database>, projectId: string, rows: readonly EventRow[]): Promise<EventBody[]> {
    const known = this.dictionaries.get(projectId) ?? new Map<number, Uint8Array>();
    this.dictionaries.set(projectId, known);
    const blockKeys = new Set<string>();
    const missing = new Set<number>();
    for (const row of rows) {
      const source = bodySource(row.body);
      if (source === null) continue;
      if ('block' in source) blockKeys.add(source.block);
      else if (!known.has(source.dictionary)) missing.add(source.dictionary);
    }
    if (missing.size > 0) {
      const loaded = await db
        .selectFrom('body_dictionaries')
        .select(['id', 'dictionary'])
        .where('project_id', '=', projectId)
        .where('id', 'in', [...missing])
        .execute();
      for (const row of loaded) known.set(Number(row.id), row.dictionary);
    }
    const blocks = new Map<string, EventBody[]>();
    if (blockKeys.size > 0) {
      const loaded = await db
        .selectFrom('body_blocks')
        .select(['key', 'bytes'])
        .where('project_id', '=', projectId)
        .where(
          'key',
          'in',
          [...blockKeys].map((key) => Buffer.from(key, 'hex')),
        )
        .execute();
      for (const row of loaded) blocks.set(Buffer.from(row.key).toString('hex'), unpackBlock(row.bytes));
    }
    const parts: BodyParts = {
      dictionary(id) {
        const bytes = known.get(id);
        if (!bytes) throw new Error(`event body needs dictionary ${id} of project ${projectId}, which is not stored`);
        return bytes;
      },
      block(key) {
        const bodies = blocks.get(key);
        if (!bodies) throw new Error(`event body is in block ${key} of project ${projectId}, which is not stored`);
        return bodies;
      },
    };
    return rows.map((row) => decodeBody(row.body, parts));
  }
}
