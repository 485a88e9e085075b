export { startCollector, StartupError } from './server.js';
export { createProject } from './projects/keys.js';
export type { CollectorConfig, RunningCollector } from './server.js';
export { createApp } from './http/app.js';
export { openStore, deriveSessionId } from './storage/open-store.js';
export type { Store } from './storage/store.js';
export { parseDuration } from './config/duration.js';
