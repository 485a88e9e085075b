import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../lib/collector-process.mjs';
const c = await startCollector({ db: join(mkdtempSync(join(tmpdir(), 'p-')), 'b.db') });
const p = await c.createProject('b');
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let n = 0;
const ev = (i) => JSON.stringify({ id: `x${n++}`, timestamp: Date.now(), durationMs: 0.12, method: 'tools/call', target: 'echo', sessionId: 'conn-1', user: null, client: { name: 'bench-client', version: '1.0.0' }, server: { name: 'bench', version: '1.0.0' }, protocolVersion: '2025-11-25', transport: 'in-memory', isError: false, error: null, arguments: { text: `call ${i}` }, result: { content: [{ type: 'text', text: `call ${i}` }] } });
const post = (body, chunks) => new Promise((resolve, reject) => {
  const headers = { authorization: `Bearer ${p.writeKey}`, 'content-type': 'application/json' };
  if (!chunks) headers['content-length'] = String(Buffer.byteLength(body));
  const req = http.request(new URL('/v1/events', c.url), { method: 'POST', agent, headers }, (res) => { let t = ''; res.setEncoding('utf8'); res.on('data', (d) => t += d); res.on('end', () => resolve(t)); });
  req.on('error', reject);
  if (chunks) { req.cork(); for (const ch of chunks) req.write(ch); req.uncork(); req.end(); } else req.end(body);
});
for (const mode of ['join', 'join', 'chunks', 'chunks', 'join']) {
  const batches = Array.from({ length: 80 }, () => Array.from({ length: 500 }, (_, i) => ev(i)));
  const c0 = process.cpuUsage();
  for (const items of batches) {
    if (mode === 'join') await post(`{"events":[${items.join(',')}]}`);
    else { const parts = ['{"events":[']; for (let i = 0; i < items.length; i += 50) parts.push((i ? ',' : '') + items.slice(i, i + 50).join(',')); parts.push(']}'); await post(null, parts); }
  }
  const u = process.cpuUsage(c0);
  console.log(mode, 'µs/event', ((u.user + u.system) / 40000).toFixed(2));
}
await c.stop();
