import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('hands back the prepared statement for a text it has seen', () => {
    const db = new Database(':memory:');
    const cached = withStatementCache(db, 2);
    const first = cached.prepare('select 1');
    expect(cached.prepare('select 1')).toBe(first);
    cached.prepare('select 2');
    cached.prepare('select 3'); // the least recently used, "select 1", leaves
    expect(cached.prepare('select 1')).not.toBe(first);
    db.close();
  });
});
