import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../open-store.js';
import { runStoreContract } from '../store.contract.js';

runStoreContract({
  name: 'sqlite',
  open: ({ sessionTimeoutMs }) => openStore({ db: join(mkdtempSync(join(tmpdir(), 'mcptrail-sqlite-')), 'test.db'), sessionTimeoutMs }),
});
