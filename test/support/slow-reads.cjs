// Preloaded into a collector process (`node --require`, so its worker threads too): a read
// whose bound parameters include SLOW_READ ("slow-read-probe", e.g. `GET /v1/sessions?user=slow-read-probe`)
// first spends a while in the database, standing in for an expensive aggregate whatever the
// query code becomes. On SQLite: one native statement (a recursive count of
// MCPTRAIL_TEST_SLOW_READ_STEPS rows), which nothing can interrupt; on PostgreSQL:
// `pg_sleep(MCPTRAIL_TEST_SLOW_READ_SECONDS)`. "slow read started" on stderr marks its start.
const { writeSync } = require('node:fs');
const Database = require('better-sqlite3');
const pg = require('pg');

const SLOW_READ = 'slow-read-probe';
const STEPS = Number(process.env.MCPTRAIL_TEST_SLOW_READ_STEPS ?? 40_000_000);
const SECONDS = Number(process.env.MCPTRAIL_TEST_SLOW_READ_SECONDS ?? 10);
const SPIN = `with recursive c(i) as (select 1 union all select i + 1 from c where i < ?) select count(*) from c`;

const slow = (parameters) => parameters.flat().includes(SLOW_READ);
const started = () => writeSync(2, 'slow read started\n');

const probe = new Database(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('select 1'));
probe.close();
const all = Statement.all;
Statement.all = function (...parameters) {
  if (slow(parameters)) {
    started();
    this.database.prepare(SPIN).get(STEPS);
  }
  return all.apply(this, parameters);
};

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (text, values, ...rest) {
  if (typeof text !== 'string' || !Array.isArray(values) || !slow(values))
    return query.call(this, text, values, ...rest);
  started();
  return query.call(this, 'select pg_sleep($1)', [SECONDS]).then(() => query.call(this, text, values, ...rest));
};
