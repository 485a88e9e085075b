import { createHash, randomBytes } from 'node:crypto';
import type { ProjectCreated } from '@mcptrail/protocol';
import type { NewProject, Store } from '../storage/store.js';

/** Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const randomToken = () => randomBytes(32).toString('base64url');

/** A new project with fresh keys: the keys for its creator, their hashes for the store. */
function newProject(name: string): { created: ProjectCreated; stored: NewProject } {
  const created: ProjectCreated = {
    id: `prj_${randomBytes(9).toString('base64url')}`,
    name,
    writeKey: `mtw_${randomToken()}`,
    readKey: `mtr_${randomToken()}`,
  };
  const stored: NewProject = { id: created.id, name, writeKeyHash: hashKey(created.writeKey), readKeyHash: hashKey(created.readKey), createdAt: Date.now() };
  return { created, stored };
}

export async function createProject(store: Store, name: string): Promise<ProjectCreated> {
  const { created, stored } = newProject(name);
  await store.createProject(stored);
  return created;
}

/** The project of a first start without an admin token; null when the database has a project already. */
export async function createFirstProject(store: Store, name: string): Promise<ProjectCreated | null> {
  const { created, stored } = newProject(name);
  return (await store.createProjectIfNone(stored)) ? created : null;
}
