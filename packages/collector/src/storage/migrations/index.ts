import { sql, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { backfillClientCalls } from './backfill-client-calls.js';
import { backfillRollups } from './backfill-rollups.js';
import { BODY_COLUMNS, encodeStoredBodies } from './encode-stored-bodies.js';

/** How an engine spells what migrations cannot write portably. */
export interface MigrationDialect {
  /** The column type for bytes: `blob` (SQLite), `bytea` (PostgreSQL). */
  binary: 'blob' | 'bytea';
  /**
   * SQLite: tables read only by their primary key are stored as that key (`without rowid`), not as rows plus a copy in
   * the key's index.
   */
  withoutRowid: boolean;
}

/** On SQLite, a table stored as its primary key (`without rowid`): for tables read only by their key. */
function keyedTable(dialect: MigrationDialect, table: CreateTableBuilder<string, string>) {
  return dialect.withoutRowid ? table.modifyEnd(sql`without rowid`) : table;
}

/** A rollup table (docs/adr/0204): project, `grain` (`hour` | `day`), `bucket` (its start), then its text keys. */
function rollupTable(db: Kysely<unknown>, dialect: MigrationDialect, name: string, keys: readonly string[]) {
  let table: CreateTableBuilder<string, string> = db.schema
    .createTable(name)
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull());
  for (const key of keys) table = table.addColumn(key, 'text', (c) => c.notNull());
  return keyedTable(dialect, table);
}

/**
 * Versioned schema, written once for every engine. Append new migrations; never
 * edit a released one. Timestamps are epoch milliseconds in `bigint` columns.
 */
const migrations = (dialect: MigrationDialect): Record<string, Migration> => ({
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('write_key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('read_key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('dropped_events', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('transport_session_id', 'text')
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('user_id', 'text')
        .addColumn('user_name', 'text')
        .addColumn('user_data', 'text')
        .addColumn('client_name', 'text')
        .addColumn('client_version', 'text')
        .addColumn('server_name', 'text')
        .addColumn('server_version', 'text')
        .addColumn('protocol_version', 'text')
        .addColumn('transport', 'text')
        .addColumn('is_error', 'integer', (c) => c.notNull())
        .addColumn('error_type', 'text')
        .addColumn('error_message', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_stack', 'text')
        .addColumn('arguments', 'text')
        .addColumn('result', 'text')
        .addColumn('tags', 'text')
        .addColumn('properties', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['project_id', 'id'])
        .execute();
      await db.schema.createIndex('events_session').on('events').columns(['project_id', 'session_id', 'ts']).execute();
      await db.schema.createIndex('events_time').on('events').columns(['project_id', 'ts']).execute();
      await db.schema
        .createIndex('events_target')
        .on('events')
        .columns(['project_id', 'method', 'target', 'ts'])
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint', (c) => c.notNull())
        .addColumn('first_event_id', 'text', (c) => c.notNull())
        .addColumn('event_count', 'integer', (c) => c.notNull())
        .addColumn('error_count', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('user_name', 'text')
        .addColumn('client_name', 'text')
        .addColumn('client_version', 'text')
        .addColumn('transport_session_id', 'text')
        .execute();
      // Ingest looks up a key's sessions ending after a point in time: ended_at keeps that seek short however long the
      // history.
      await db.schema
        .createIndex('sessions_key')
        .on('sessions')
        .columns(['project_id', 'group_key', 'ended_at'])
        .execute();
      await db.schema.createIndex('sessions_recent').on('sessions').columns(['project_id', 'ended_at', 'id']).execute();
      await db.schema
        .createIndex('sessions_user')
        .on('sessions')
        .columns(['project_id', 'user_id', 'ended_at'])
        .execute();

      await db.schema
        .createTable('session_aliases')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('old_id', 'text', (c) => c.primaryKey())
        .addColumn('new_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('session_aliases_target').on('session_aliases').columns(['new_id']).execute();
    },
  },
  '0002_label_times': {
    // Labels as a maximum over (time, value): deterministic in any arrival order (ADR 0201).
    async up(db: Kysely<unknown>) {
      for (const column of ['user_id_at', 'user_name_at', 'client_name_at', 'client_version_at']) {
        await db.schema.alterTable('sessions').addColumn(column, 'bigint').execute();
      }
    },
  },
  '0003_sender_drops': {
    // Running totals per sender: a maximum is idempotent, so a resent batch cannot count its losses twice.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sender_drops')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('dropped_total', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('sender_drops_pk', ['project_id', 'sender_id'])
        .execute();
    },
  },
  '0004_client_continuity': {
    // docs/adr/0104: the fingerprint and conversation an event came with (what-if regrouping reads them),
    // and how trusted a session's client label is (its rank must survive merges in any order).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('events').addColumn('client_fingerprint', 'text').execute();
      await db.schema.alterTable('events').addColumn('conversation_id', 'text').execute();
      await db.schema.alterTable('events').addColumn('client_source', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('client_rank', 'integer').execute();
      // What each (user, fingerprint) key's events have named its client, best label first: later sessions of the key
      // show it.
      await db.schema
        .createTable('fingerprint_clients')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('client_name', 'text', (c) => c.notNull())
        .addColumn('client_version', 'text')
        .addColumn('client_rank', 'integer', (c) => c.notNull())
        .addColumn('seen_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('fingerprint_clients_pk', ['project_id', 'group_key'])
        .execute();
    },
  },
  '0005_rollups': {
    // docs/adr/0204: aggregates kept at ingest, per UTC hour and day (`grain`), so that no answer scans history.
    async up(db: Kysely<unknown>) {
      const keyed = (table: CreateTableBuilder<string, string>) => keyedTable(dialect, table);
      const rollup = (name: string, keys: string[]) => rollupTable(db, dialect, name, keys);
      await rollup('rollup_calls', ['method', 'target'])
        .addColumn('calls', 'bigint', (c) => c.notNull())
        .addColumn('errors', 'bigint', (c) => c.notNull())
        .addColumn('last_ts', 'bigint', (c) => c.notNull())
        .addColumn('durations', sql.raw(dialect.binary))
        .addPrimaryKeyConstraint('rollup_calls_pk', ['project_id', 'grain', 'bucket', 'method', 'target'])
        .execute();
      await rollup('rollup_active_users', ['user_id'])
        .addPrimaryKeyConstraint('rollup_active_users_pk', ['project_id', 'grain', 'bucket', 'user_id'])
        .execute();
      await rollup('rollup_session_starts', ['client_name', 'kind'])
        .addColumn('sessions', 'bigint', (c) => c.notNull())
        .addColumn('events', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_session_starts_pk', ['project_id', 'grain', 'bucket', 'client_name', 'kind'])
        .execute();
      await rollup('rollup_client_users', ['client_name', 'user_id'])
        .addColumn('sessions', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_client_users_pk', ['project_id', 'grain', 'bucket', 'client_name', 'user_id'])
        .execute();
      await keyed(db.schema.createTable('user_summaries'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('name_at', 'bigint')
        .addColumn('first_seen', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .addColumn('sessions', 'bigint', (c) => c.notNull())
        .addColumn('events', 'bigint', (c) => c.notNull())
        .addColumn('errors', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_summaries_pk', ['project_id', 'user_id'])
        .execute();
      // `user_id desc`: read backwards it gives the list's order (last seen newest first, then id), so a page is read,
      // not the table sorted.
      await db.schema
        .createIndex('user_summaries_recent')
        .on('user_summaries')
        .columns(['project_id', 'last_seen', 'user_id desc'])
        .execute();
      await keyed(db.schema.createTable('user_clients'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('client_name', 'text', (c) => c.notNull())
        .addColumn('sessions', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_clients_pk', ['project_id', 'user_id', 'client_name'])
        .execute();
      // Sessions that started in the partial hours at a range's ends; a user's sessions, newest first, to the id.
      await db.schema.createIndex('sessions_started').on('sessions').columns(['project_id', 'started_at']).execute();
      await db.schema.dropIndex('sessions_user').execute();
      await db.schema
        .createIndex('sessions_user')
        .on('sessions')
        .columns(['project_id', 'user_id', 'ended_at', 'id'])
        .execute();
      // Tools are answered from rollups; only a tool's recent failures are looked up in the events.
      await db.schema.dropIndex('events_target').execute();
      await db.schema
        .createIndex('events_failures')
        .on('events')
        .columns(['project_id', 'target', 'ts'])
        .where(sql.ref('is_error'), '=', 1)
        .execute();
      await backfillRollups(db);
    },
  },
  '0006_event_bodies': {
    // docs/storage.md, "Bytes per event": the columns no query reads by, as one compressed value per event.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('body_dictionaries')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('id', 'integer', (c) => c.notNull())
        .addColumn('dictionary', sql.raw(dialect.binary), (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('body_dictionaries_pk', ['project_id', 'id'])
        .execute();
      await db.schema.alterTable('events').addColumn('body', sql.raw(dialect.binary)).execute();
      await encodeStoredBodies(db);
      for (const column of BODY_COLUMNS) await db.schema.alterTable('events').dropColumn(column).execute();
      // A session id is unique across projects (its hash covers the project): the project only made this index longer.
      await db.schema.dropIndex('events_session').execute();
      await db.schema.createIndex('events_session').on('events').columns(['session_id', 'ts']).execute();
    },
  },
  '0007_session_filters': {
    // The sessions list's filters, in its order (newest first, then id), each a seek: without them a filter that
    // matches few sessions read them all.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('sessions_client')
        .on('sessions')
        .columns(['project_id', 'client_name', 'ended_at', 'id'])
        .execute();
      await db.schema
        .createIndex('sessions_kind')
        .on('sessions')
        .columns(['project_id', 'kind', 'ended_at', 'id'])
        .execute();
      await db.schema
        .createIndex('sessions_failing')
        .on('sessions')
        .columns(['project_id', 'ended_at', 'id'])
        .where(sql.ref('error_count'), '>', 0)
        .execute();
    },
  },
  '0008_insights': {
    // docs/adr/0205. GET /v1/insights/failures: a range's failed events, whatever their tool, without reading the calls
    // that succeeded.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('events_failing_time')
        .on('events')
        .columns(['project_id', 'ts'])
        .where(sql.ref('is_error'), '=', 1)
        .execute();
      // GET /v1/insights/clients: tool calls by their session's client label, version, protocol version and tool, per
      // hour and day.
      const rollup = (name: string, keys: string[]) => rollupTable(db, dialect, name, keys);
      const label = ['client_name', 'client_version', 'protocol_version'];
      await rollup('rollup_client_calls', [...label, 'target'])
        .addColumn('calls', 'bigint', (c) => c.notNull())
        .addColumn('errors', 'bigint', (c) => c.notNull())
        .addColumn('invalid_arguments', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_client_calls_pk', ['project_id', 'grain', 'bucket', ...label, 'target'])
        .execute();
      // Latency sketches are read and written back: per label and protocol only, every tool together.
      await rollup('rollup_client_latency', label)
        .addColumn('durations', sql.raw(dialect.binary))
        .addPrimaryKeyConstraint('rollup_client_latency_pk', ['project_id', 'grain', 'bucket', ...label])
        .execute();
      await backfillClientCalls(db);
    },
  },
  '0009_tool_steps': {
    // docs/adr/0206: each session's tool calls in order, with all that paths read, so that no event row is visited;
    // tool calls only.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('events_tool_steps')
        .on('events')
        .columns(['session_id', 'ts', 'target', 'is_error'])
        .where(sql.ref('method'), '=', 'tools/call')
        .execute();
    },
  },
  '0010_body_blocks': {
    // docs/adr/0207: new events' bodies are compressed in blocks per request; events point into them. A rowid table on
    // SQLite: rows of several KB belong in a table, not in the key's b-tree.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('body_blocks')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('key', sql.raw(dialect.binary), (c) => c.notNull())
        .addColumn('bytes', sql.raw(dialect.binary), (c) => c.notNull())
        .addPrimaryKeyConstraint('body_blocks_pk', ['project_id', 'key'])
        .execute();
    },
  },
  '0011_session_steps': {
    // docs/adr/0206: one index of each session's requests in order serves the timeline, what-if and the paths (which
    // read its tool calls' steps from it without visiting a row), instead of two written for every tool call.
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('events_tool_steps').execute();
      await db.schema.dropIndex('events_session').execute();
      await db.schema
        .createIndex('events_session')
        .on('events')
        .columns(['session_id', 'ts', 'method', 'target', 'is_error'])
        .execute();
    },
  },
  '0012_fingerprint_labels': {
    // docs/adr/0104: a fingerprint key's client is named along its timeline, so a new name relabels the sessions up to
    // the next one, not the key's whole history. The key's learned label becomes its earliest session's: every stored
    // session keeps the label it shows.
    async up(db: Kysely<unknown>) {
      await keyedTable(
        dialect,
        db.schema
          .createTable('fingerprint_labels')
          .addColumn('project_id', 'text', (c) => c.notNull())
          .addColumn('group_key', 'text', (c) => c.notNull())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('client_name', 'text', (c) => c.notNull())
          .addColumn('client_version', 'text')
          .addColumn('client_rank', 'integer', (c) => c.notNull())
          .addColumn('named_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('fingerprint_labels_pk', ['project_id', 'group_key', 'started_at']),
      ).execute();
      await sql`
        insert into fingerprint_labels
          (project_id, group_key, started_at, client_name, client_version, client_rank, named_at)
        select f.project_id, f.group_key, min(s.started_at), f.client_name, f.client_version, f.client_rank, f.seen_at
        from fingerprint_clients f
        join sessions s on s.project_id = f.project_id and s.group_key = f.group_key
        group by f.project_id, f.group_key, f.client_name, f.client_version, f.client_rank, f.seen_at
      `.execute(db);
      await db.schema.dropTable('fingerprint_clients').execute();
    },
  },
  '0013_session_keys_by_start': {
    // Ingest's candidate sessions by key and start: an entry that does not move when its session is extended (the end
    // did, on every extension, at a random place in the index), and none for anonymous sessions, never looked up.
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('sessions_key').execute();
      await db.schema
        .createIndex('sessions_key')
        .on('sessions')
        .columns(['project_id', 'group_key', 'started_at'])
        .where(sql.ref('kind'), '<>', 'anonymous')
        .execute();
    },
  },
  '0014_longest_session': {
    // GET /v1/sessions for a range in the past: sessions active in it end at most this long after it, so the list
    // seeks by end instead of walking every newer session.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('projects')
        .addColumn('longest_session_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update projects set longest_session_ms = coalesce(
          (select max(ended_at - started_at) from sessions where sessions.project_id = projects.id), 0)`.execute(db);
    },
  },
  '0015_fingerprint_best_label': {
    // docs/adr/0104: ingest reads a key's named sessions from its window on, and before it only the best (most trusted,
    // then newest): a seek here instead of the key's whole timeline, which grows with every session it names.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('fingerprint_labels_best')
        .on('fingerprint_labels')
        .columns(['project_id', 'group_key', 'client_rank', 'named_at'])
        .execute();
    },
  },
});

/** The migrations, spelled for one engine. */
export function migrationProvider(dialect: MigrationDialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
