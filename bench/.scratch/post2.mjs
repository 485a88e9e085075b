import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../lib/collector-process.mjs';
const c = await startCollector({ db: join(mkdtempSync(join(tmpdir(), 'p-')), 'b.db') });
const p = await c.createProject('b');
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let n = 0;
const full = (i) => JSON.stringify({ id: `066a1d0b-a121-4f8d-ac1f-646623828b79-${(n++).toString(36)}`, timestamp: Date.now(), durationMs: 0.12, method: 'tools/call', target: 'echo', sessionId: '31bf7aad-130b-475f-a262-124d9ef7c1b3', user: null, client: { name: 'bench-client', version: '1.0.0' }, server: { name: 'bench', version: '1.0.0' }, protocolVersion: '2025-11-25', transport: 'in-memory', isError: false, error: null, arguments: { text: `call ${i}` }, result: { content: [{ type: 'text', text: `call ${i}` }] } });
const slim = (i) => JSON.stringify({ id: `Zk3mQ9xT2bVw-${(n++).toString(36)}`, timestamp: Date.now(), durationMs: 0.12, method: 'tools/call', target: 'echo', sessionId: 'Yh7sL2qPz0Rn', client: { name: 'bench-client', version: '1.0.0' }, server: { name: 'bench', version: '1.0.0' }, protocolVersion: '2025-11-25', transport: 'in-memory', isError: false, arguments: { text: `call ${i}` }, result: { content: [{ type: 'text', text: `call ${i}` }] } });
const post = (body) => new Promise((resolve, reject) => {
  const req = http.request(new URL('/v1/events', c.url), { method: 'POST', agent, headers: { authorization: `Bearer ${p.writeKey}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => { let t = ''; res.setEncoding('utf8'); res.on('data', (d) => t += d); res.on('end', () => resolve(t)); });
  req.on('error', reject); req.end(body);
});
const cpu = { full: 0, slim: 0, full400: 0 };
for (let r = 0; r < 6; r++) for (const mode of ['full', 'slim', 'full400']) {
  const make = mode === 'slim' ? slim : full; const size = mode === 'full400' ? 400 : 500;
  const batches = Array.from({ length: Math.round(10000 / size) }, () => Array.from({ length: size }, (_, i) => make(i)));
  const c0 = process.cpuUsage();
  for (const items of batches) await post(`{"events":[${items.join(',')}]}`);
  const u = process.cpuUsage(c0); cpu[mode] += u.user + u.system;
}
console.log('bytes/event full', full(1).length, 'slim', slim(1).length);
console.log('µs/event full', (cpu.full / 60000).toFixed(2), 'slim', (cpu.slim / 60000).toFixed(2), 'full400', (cpu.full400 / 60000).toFixed(2));
await c.stop();
