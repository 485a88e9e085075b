export { startCollector, StartupError } from './server.js';
export { createProject } from './projects/keys.js';
export type { CollectorConfig, RunningCollector } from './server.js';
export { createApp } from './http/app.js';
export { openStore } from './storage/open-store.js';
export { deriveSessionId } from './storage/session-ids.js';
export type { Store } from './storage/store.js';
export { parseDuration } from './config/duration.js';
