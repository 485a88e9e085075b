export { planSessions, candidateWindow } from './plan.js';
export type { PlanInput, SessionPlan } from './plan.js';
export { sameClient } from './client-timeline.js';
export type { LabelRange, NamedSpan } from './client-timeline.js';
export {
  endsAfterInactivity,
  isFingerprintKey,
  sessionBasis,
  sessionKeyOf,
  splitsSession,
  UNKNOWN_CLIENT,
} from './session-key.js';
export type { SessionEvent, SessionKey } from './session-key.js';
export { betterClient, clientRank, idTime, namesSession, newerLabel, sessionIdentity } from './session-record.js';
export type { ClientLabel, DeriveSessionId, SessionRecord } from './session-record.js';
