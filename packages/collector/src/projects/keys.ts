import { createHash, randomBytes } from 'node:crypto';
import type { ProjectCreated } from '@mcptrail/protocol';
import type { Store } from '../storage/store.js';

/** Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const randomToken = () => randomBytes(32).toString('base64url');

export async function createProject(store: Store, name: string): Promise<ProjectCreated> {
  const project: ProjectCreated = {
    id: `prj_${randomBytes(9).toString('base64url')}`,
    name,
    writeKey: `mtw_${randomToken()}`,
    readKey: `mtr_${randomToken()}`,
  };
  await store.createProject({
    id: project.id,
    name,
    writeKeyHash: hashKey(project.writeKey),
    readKeyHash: hashKey(project.readKey),
    createdAt: Date.now(),
  });
  return project;
}
