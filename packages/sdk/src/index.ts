/** The complete public surface of `mcptrail`. */
export { track, flush, shutdown } from './track.js';
export { deliveryStats } from './stats.js';
export type {
  TrackOptions,
  Identify,
  UserIdentity,
  RequestContext,
  RequestInfo,
  ClientInfo,
  CaptureOptions,
  DeliveryOptions,
  WireEvent,
} from './types.js';
export type { DeliveryStats } from './stats.js';
