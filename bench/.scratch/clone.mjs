import { validateEvent } from '/work/main/packages/protocol/dist/index.js';
import { generateEvents } from '/work/main/bench/lib/generate-events.mjs';
import { MessageChannel } from 'node:worker_threads';
const valid = generateEvents({ count: 20000 }).map((e) => validateEvent(e).event);
console.log(valid[0]);
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const c = structuredClone(valid);
  console.log('structuredClone µs/event', ((performance.now() - t) * 1000 / valid.length).toFixed(2));
  t = performance.now();
  const s = JSON.stringify(valid); JSON.parse(s);
  console.log('json µs/event', ((performance.now() - t) * 1000 / valid.length).toFixed(2));
}
