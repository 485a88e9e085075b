import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, createProject } from '/work/main/packages/collector/dist/index.js';
import { validateEvent } from '/work/main/packages/protocol/dist/index.js';
import { batches, generateEvents } from '/work/main/bench/lib/generate-events.mjs';
const times = new Map();
const origPrepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const st = origPrepare.call(this, sql);
  const key = sql.slice(0, 60);
  const wrap = (name) => (...a) => { const t = performance.now(); try { return st[name](...a); } finally { const d = performance.now() - t; const e = times.get(key) ?? [0, 0]; e[0] += d; e[1]++; times.set(key, e); } };
  return { reader: st.reader, all: wrap('all'), run: wrap('run'), iterate: wrap('iterate'), get: wrap('get') };
};
const dir = mkdtempSync(join(tmpdir(), 'dir-'));
const { createSqliteEngine } = await import('/work/main/packages/collector/dist/storage/sqlite/sqlite-engine.js');
const { KyselyStore } = await import('/work/main/packages/collector/dist/storage/kysely/kysely-store.js');
const { migrate } = await import('/work/main/packages/collector/dist/storage/open-store.js');
const engine = createSqliteEngine(join(dir, 'd.db'), { writerThread: false });
await migrate(engine);
const store = new KyselyStore({ engine, sessionTimeoutMs: 1_800_000 });
const project = await createProject(store, 'b');
{ const side = new (Database)(join(dir,'d.db')); for (const q of (process.env.PRE ?? '').split(';').filter(Boolean)) side.exec(q); side.close(); }
const events = generateEvents({ count: 200000 });
const valid = events.map((e) => validateEvent(e).event);
const t0 = performance.now();
const bs = batches(valid, Number(process.env.BS ?? 500));
await Promise.all(bs.map((b) => store.ingest(project.id, b, 0, Date.now())));
const total = performance.now() - t0;
console.log('total ms', total.toFixed(0), 'ev/s', (200000 / total * 1000).toFixed(0));
for (const [k, [ms, n]] of [...times].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15)) console.log(ms.toFixed(0).padStart(6), String(n).padStart(6), k);
await store.close();
console.log(await require_io());
function require_io() { return (globalThis.__fs ??= null), import('node:fs').then(fs => fs.readFileSync('/proc/self/io','utf8')); }
