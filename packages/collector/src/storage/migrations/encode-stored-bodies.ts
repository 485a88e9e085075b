import { sql, type Kysely } from 'kysely';
import { encodeBody, type EventBody } from '../event-body.js';

/** The events columns migration 0006 folds into `body`, in `EventBody`'s terms. */
const FOLDED = {
  user_name: 'userName',
  user_data: 'userData',
  server_name: 'serverName',
  server_version: 'serverVersion',
  transport: 'transport',
  error_stack: 'errorStack',
  arguments: 'arguments',
  result: 'result',
  tags: 'tags',
  properties: 'properties',
} as const satisfies Record<string, keyof EventBody>;

export const BODY_COLUMNS = Object.keys(FOLDED) as (keyof typeof FOLDED)[];

const CHUNK = 2_000;

type OldEventRow = { project_id: string; id: string } & Record<keyof typeof FOLDED, string | null>;

/**
 * Migration 0006 encodes the bodies of the events already stored, in chunks
 * (keyset paging on the primary key), without a dictionary: a project trains
 * its dictionary from the events it stores next.
 */
export async function encodeStoredBodies(db: Kysely<unknown>): Promise<void> {
  for (let after: [string, string] = ['', '']; ; ) {
    const rows = (
      await sql<OldEventRow>`select project_id, id, ${sql.join(BODY_COLUMNS.map((c) => sql.ref(c)))} from events
        where (project_id > ${after[0]} or (project_id = ${after[0]} and id > ${after[1]}))
        order by project_id, id limit ${CHUNK}`.execute(db)
    ).rows;
    if (rows.length === 0) return;
    const last = rows.at(-1)!;
    after = [last.project_id, last.id];
    for (const row of rows) {
      const body = Object.fromEntries(
        BODY_COLUMNS.map((column) => [FOLDED[column], row[column]]),
      ) as unknown as EventBody;
      await sql`update events set body = ${encodeBody(body)}
        where project_id = ${row.project_id} and id = ${row.id}`.execute(db);
    }
  }
}
