export { LIMITS, FORBIDDEN_KEYS } from './limits.js';
export { wireEventSchema, validateEvent, parseTimestamp } from './event.js';
export type { WireEvent, ValidEvent, EventValidation } from './event.js';
export { eventBatchSchema } from './batch.js';
export type { EventBatch, IngestResult, ApiError } from './batch.js';
export type {
  SessionKind,
  SessionView,
  EventView,
  SessionListResponse,
  SessionDetailResponse,
  EventResponse,
  UserView,
  UserListResponse,
  ToolView,
  ToolListResponse,
  ToolDetailResponse,
  UserDetailResponse,
  ProjectResponse,
  ClientView,
  StatsResponse,
  ProjectCreated,
} from './api.js';
