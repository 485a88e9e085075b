import pg from 'pg';
const times = new Map();
const orig = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, cb) {
  const text = typeof config === 'string' ? config : config?.text ?? '';
  const key = text.replace(/\s+/g, ' ').slice(0, 70);
  const t = performance.now();
  const r = orig.call(this, config, values, cb);
  if (r && typeof r.then === 'function') r.then(() => { const e = times.get(key) ?? [0, 0]; e[0] += performance.now() - t; e[1]++; times.set(key, e); }, () => {});
  return r;
};
process.on('SIGTERM', () => {
  const rows = [...times].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12);
  for (const [k, [ms, n]] of rows) process.stderr.write(`${ms.toFixed(0).padStart(7)} ${String(n).padStart(6)} ${k}\n`);
  process.stderr.write('----\n');
});
