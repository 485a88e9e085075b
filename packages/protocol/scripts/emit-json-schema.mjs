// npm run schema -w @mcptrail/protocol: writes the wire contract as JSON Schema (draft 2020-12),
// for senders in other languages. wire.pins.test.ts fails when these files are stale.
import { writeFileSync } from 'node:fs';
import { jsonSchemas } from '../dist/json-schema.js';

for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(new URL(`../schema/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
}
