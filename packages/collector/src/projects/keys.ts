import { createHash, randomBytes } from 'node:crypto';
import type { ProjectCreated, ProjectKeyCreated, ProjectView } from '@mcptrail/protocol';
import type { KeyAccess, NewProject, ProjectRecord, Store } from '../storage/store.js';

/** Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const KEY_PREFIX: Record<KeyAccess, string> = { write: 'mtw_', read: 'mtr_' };

const newKey = (kind: KeyAccess) => `${KEY_PREFIX[kind]}${randomBytes(32).toString('base64url')}`;

/** A new project with fresh keys: the keys for its creator, their hashes for the store. */
function newProject(name: string): { created: ProjectCreated; stored: NewProject } {
  const created: ProjectCreated = {
    id: `prj_${randomBytes(9).toString('base64url')}`,
    name,
    writeKey: newKey('write'),
    readKey: newKey('read'),
  };
  const stored: NewProject = {
    id: created.id,
    name,
    writeKeyHash: hashKey(created.writeKey),
    readKeyHash: hashKey(created.readKey),
    createdAt: Date.now(),
  };
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

/** A project named or identified by a user who can fix the reference: unknown, or a name several projects share. */
export class ProjectLookupError extends Error {}

/**
 * The project `ref` names: its id, else its name. Names need not be unique (ids
 * are), so a name that several projects share is refused with their ids.
 */
export async function resolveProject(store: Store, ref: string): Promise<ProjectRecord> {
  const projects = await store.listProjects();
  const byId = projects.find((project) => project.id === ref);
  if (byId) return byId;
  const named = projects.filter((project) => project.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length === 0)
    throw new ProjectLookupError(`no project is named or has the id "${ref}" (mcptrail projects list shows them)`);
  throw new ProjectLookupError(
    `${named.length} projects are named "${ref}" (${named.map((p) => p.id).join(', ')}); give the id instead`,
  );
}

/** A fresh key of `kind` for `project`; once this resolves, the old key of that kind is refused by every instance. */
export async function rotateKey(store: Store, project: ProjectRecord, kind: KeyAccess): Promise<ProjectKeyCreated> {
  const key = newKey(kind);
  if (!(await store.replaceProjectKey(project.id, kind, hashKey(key))))
    throw new ProjectLookupError(`project ${project.id} no longer exists`);
  return { id: project.id, name: project.name, kind, key };
}

export function projectView(project: ProjectRecord): ProjectView {
  return { id: project.id, name: project.name, createdAt: new Date(project.createdAt).toISOString() };
}
