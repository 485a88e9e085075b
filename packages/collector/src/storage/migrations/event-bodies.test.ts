import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationTargets } from '../../../test-support/migration-targets.js';
import { migrate, openEngine, openStore } from '../open-store.js';

const targets = await migrationTargets('migration');

/** Events as migration 0005 left them: the body's fields in columns of their own. */
const OLD_EVENTS = [
  {
    id: 'full',
    user_id: 'ada',
    user_name: 'Ada ✓',
    user_data: '{"plan":"pro"}',
    server_name: 'acme-tools',
    server_version: '3.2.0',
    transport: 'stdio',
    error_message: 'boom',
    error_stack: 'Error: boom\n    at x',
    arguments: '{"q":"naïve 🚀"}',
    result: `{"content":[{"type":"text","text":"${'long '.repeat(200)}"}]}`,
    tags: '{"k":"v"}',
    properties: '{"p":1}',
  },
  {
    id: 'bare',
    user_id: null,
    user_name: null,
    user_data: null,
    server_name: null,
    server_version: null,
    transport: null,
    error_message: null,
    error_stack: null,
    arguments: null,
    result: null,
    tags: null,
    properties: null,
  },
];

describe.each(targets)('migration 0006 on $name', ({ db: url }) => {
  it('moves the stored events’ fields into their bodies, every value kept', async () => {
    const db = url();
    const engine = await openEngine({ db, sessionTimeoutMs: 60_000, readWorkers: 1 });
    try {
      await migrate(engine, '0005_rollups');
      await sql`insert into projects (id, name, write_key_hash, read_key_hash, created_at)
        values ('p1', 'p', 'w', 'r', 0)`.execute(engine.db);
      for (const [i, event] of OLD_EVENTS.entries()) {
        const columns = Object.keys(event);
        const names = sql.join(columns.map((c) => sql.ref(c)));
        await sql`insert into events (project_id, session_id, ts, method, is_error, received_at, ${names})
          values ('p1', ${`ses_${i}`}, ${1_000 + i}, 'tools/call', ${event.error_message ? 1 : 0}, 5,
            ${sql.join(Object.values(event))})`.execute(engine.db);
      }
    } finally {
      await engine.close();
    }

    const store = await openStore({ db, sessionTimeoutMs: 60_000 });
    try {
      const full = (await store.getEvent('p1', 'full'))!;
      const old = OLD_EVENTS[0]!;
      expect(full.user).toEqual({ id: 'ada', name: old.user_name, dataJson: old.user_data });
      expect(full.server).toEqual({ name: 'acme-tools', version: '3.2.0' });
      expect(full.error).toEqual({ type: null, message: 'boom', code: null, stack: old.error_stack });
      expect([full.transport, full.argumentsJson, full.resultJson, full.tagsJson, full.propertiesJson]).toEqual([
        old.transport,
        old.arguments,
        old.result,
        old.tags,
        old.properties,
      ]);
      const bare = (await store.getEvent('p1', 'bare'))!;
      expect([
        bare.user,
        bare.server,
        bare.transport,
        bare.argumentsJson,
        bare.resultJson,
        bare.tagsJson,
        bare.propertiesJson,
      ]).toEqual([null, null, null, null, null, null, null]);
    } finally {
      await store.close();
    }
  });
});
