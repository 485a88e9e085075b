export { LIMITS, FORBIDDEN_KEYS } from './limits.js';
export { wireEventSchema, validateEvent, parseTimestamp, CLIENT_SOURCES } from './event.js';
export type {
  CallCountsView,
  ClientsResponse,
  ClientToolCellView,
  ClientVersionView,
  FailureClass,
  FailureClusterView,
  FailuresQuery,
  FailuresResponse,
  SessionShapeHistogram,
  SessionShapeResponse,
  ToolAverageView,
} from './failure-insights.js';
export type { WireEvent, ValidEvent, EventValidation, ClientSource } from './event.js';
export { eventBatchSchema } from './batch.js';
export type { EventBatch, IngestResult, ApiError } from './batch.js';
export type {
  ErrorEndingView,
  HistogramBucketView,
  LengthDistributionView,
  PathNodeView,
  SessionShapeView,
  ToolDropOffView,
  ToolPathsResponse,
  WhatIfResponse,
} from './path-insights.js';
export type {
  SessionKind,
  SessionBasis,
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
  ProjectView,
  ProjectListResponse,
  ProjectKeyCreated,
  ClientView,
  StatsResponse,
  ProjectCreated,
} from './api.js';
export { jsonSchemas } from './json-schema.js';
export type {
  PageQuery,
  PathParams,
  ReadPath,
  ReadRoutes,
  SessionListQuery,
  TimeRangeQuery,
  ToolPathsQuery,
  WhatIfQuery,
} from './routes.js';
