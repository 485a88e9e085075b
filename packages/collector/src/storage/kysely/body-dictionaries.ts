import type { ValidEvent } from '@mcptrail/protocol';
import type { Kysely, Transaction } from 'kysely';
import {
  bodyDictionaryId,
  type BodyDictionary,
  decodeBody,
  type EncodedEvent,
  encodeEvent,
  type EventBody,
  trainDictionary,
} from '../event-body.js';
import type { StoredEvent } from '../records.js';
import type { Database, EventRow } from '../schema.js';
import { toStoredEvent } from './from-rows.js';

/**
 * A project's events are compressed without a dictionary until it has this many: enough of each kind of call to learn
 * from.
 */
export const TRAIN_AFTER_EVENTS = 1_000;
const SAMPLE_EVENTS = 2_000;
/**
 * How often a project without a dictionary is looked at again for one (the writer, or another instance, may have
 * trained it).
 */
const RECHECK_MS = 1_000;

/**
 * Each project's compression dictionary (docs/storage.md, "Bytes per event"),
 * cached per process. Only dictionaries read back from the database are used
 * and cached: a dictionary is immutable once committed, so such a cache never
 * goes stale, and no body can name a dictionary that a rolled-back transaction
 * took with it.
 */
export class BodyDictionaries {
  private readonly committed = new Map<string, Map<number, Uint8Array>>();
  private readonly newest = new Map<string, BodyDictionary>();
  private readonly checkedAt = new Map<string, number>();

  /**
   * Events with their bodies encoded, by the thread that received them (the
   * writer thread only writes). Synchronous, so requests reach the writer in
   * the order they came: a project without a dictionary yet is looked at again
   * in the background, and encoding without one is always valid.
   */
  encode(db: Kysely<Database>, projectId: string, events: readonly ValidEvent[]): EncodedEvent[] {
    const dictionary = this.newest.get(projectId) ?? null;
    if (!dictionary) this.lookForDictionary(db, projectId);
    return events.map((event) => encodeEvent(event, dictionary));
  }

  private lookForDictionary(db: Kysely<Database>, projectId: string): void {
    const now = Date.now();
    if (now - (this.checkedAt.get(projectId) ?? -Infinity) < RECHECK_MS) return;
    this.checkedAt.set(projectId, now);
    db.selectFrom('body_dictionaries')
      .select(['id', 'dictionary'])
      .where('project_id', '=', projectId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
      .then(
        (stored) => {
          if (stored) this.remember(projectId, { id: Number(stored.id), bytes: stored.dictionary });
        },
        // Looked at again after the interval; meanwhile bodies are compressed without a dictionary.
        () => {},
      );
  }

  /**
   * In an ingest transaction: trains the project's dictionary from its stored
   * events once it has enough. Several instances may train at once; the first
   * to commit id 1 wins, the others' inserts do nothing.
   */
  async trainIfDue(trx: Transaction<Database>, projectId: string): Promise<void> {
    if (this.newest.has(projectId)) return;
    const stored = await trx
      .selectFrom('body_dictionaries')
      .select(['id', 'dictionary'])
      .where('project_id', '=', projectId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (stored) {
      this.remember(projectId, { id: Number(stored.id), bytes: stored.dictionary });
      return;
    }
    const samples = await trx
      .selectFrom('events')
      .select(['method', 'target', 'body'])
      .where('project_id', '=', projectId)
      .orderBy('ts', 'desc')
      .limit(SAMPLE_EVENTS)
      .execute();
    if (samples.length < TRAIN_AFTER_EVENTS) return;
    const bytes = trainDictionary(
      samples
        // Bodies compressed with a dictionary another instance committed meanwhile are left out: this one has none to
        // read them with.
        .filter((row) => bodyDictionaryId(row.body) === null)
        .map((row) => ({ kind: `${row.method} ${row.target ?? ''}`, body: decodeBody(row.body, noDictionary) })),
    );
    await trx
      .insertInto('body_dictionaries')
      .values({ project_id: projectId, id: 1, dictionary: bytes, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['project_id', 'id']).doNothing())
      .execute();
  }

  /** Event rows as records, their bodies decoded; loads the dictionaries they need first. */
  async storedEvents(db: Kysely<Database>, projectId: string, rows: readonly EventRow[]): Promise<StoredEvent[]> {
    const bodies = await this.readBodies(db, projectId, rows);
    return rows.map((row, i) => toStoredEvent(row, bodies[i]!));
  }

  private async readBodies(
    db: Kysely<Database>,
    projectId: string,
    rows: readonly Pick<EventRow, 'body'>[],
  ): Promise<EventBody[]> {
    const known = this.committed.get(projectId);
    const missing = new Set<number>();
    for (const row of rows) {
      const id = bodyDictionaryId(row.body);
      if (id !== null && !known?.has(id)) missing.add(id);
    }
    if (missing.size > 0) {
      const loaded = await db
        .selectFrom('body_dictionaries')
        .select(['id', 'dictionary'])
        .where('project_id', '=', projectId)
        .where('id', 'in', [...missing])
        .execute();
      for (const row of loaded) this.remember(projectId, { id: Number(row.id), bytes: row.dictionary });
    }
    const dictionaries = this.committed.get(projectId);
    return rows.map((row) =>
      decodeBody(row.body, (id) => {
        const bytes = dictionaries?.get(id);
        if (!bytes) throw new Error(`event body needs dictionary ${id} of project ${projectId}, which is not stored`);
        return bytes;
      }),
    );
  }

  private remember(projectId: string, dictionary: BodyDictionary): void {
    const byId = this.committed.get(projectId) ?? new Map<number, Uint8Array>();
    byId.set(dictionary.id, dictionary.bytes);
    this.committed.set(projectId, byId);
    const newest = this.newest.get(projectId);
    if (!newest || newest.id < dictionary.id) this.newest.set(projectId, dictionary);
  }
}

const noDictionary = (id: number): never => {
  throw new Error(`unexpected dictionary ${id}`);
};
