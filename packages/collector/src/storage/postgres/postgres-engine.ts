import type { StorageEngine } from '../engine.js';

export async function createPostgresEngine(_url: string, _options: { poolSize?: number | undefined }): Promise<StorageEngine> {
  throw new Error('PostgreSQL storage is not available yet');
}
